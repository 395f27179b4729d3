/** The benchmarked systems, loaded lazily so one that fails to load fails alone, with the reason. */
import type { SystemAdapter } from "./types.js";

const LOADERS: Record<string, () => Promise<SystemAdapter>> = {
  "zart-memory": async () => (await import("./zart-memory.js")).adapter,
  "zart-sqlite": async () => (await import("./zart-sqlite.js")).adapter,
  "zart-postgres": async () => (await import("./zart-postgres.js")).adapter,
  "zart-redis": async () => (await import("./zart-redis.js")).adapter,
  dbos: async () => (await import("./dbos.js")).adapter,
  openworkflow: async () => (await import("./openworkflow.js")).adapter,
  restate: async () => (await import("./restate.js")).adapter,
  absurd: async () => (await import("./absurd.js")).adapter,
  "pg-boss": async () => (await import("./pg-boss.js")).adapter,
  "graphile-worker": async () => (await import("./graphile-worker.js")).adapter,
  "graphile-worker-batched": async () => (await import("./graphile-worker.js")).batchedAdapter,
  bullmq: async () => (await import("./bullmq.js")).adapter,
};

/** Every system, ours first. */
export const SYSTEM_NAMES = Object.keys(LOADERS);

export function isZart(name: string): boolean {
  return name.startsWith("zart-");
}

export async function loadSystem(name: string): Promise<SystemAdapter> {
  const load = LOADERS[name];
  if (!load) throw new Error(`unknown system "${name}" (known: ${SYSTEM_NAMES.join(", ")})`);
  return load();
}
