import type { Scheduler } from "@zart/core";
import { resetDatabase } from "../harness/services.js";
import { slotted } from "./types.js";
import { constructorOf, zartAdapter } from "./zart-adapter.js";

type PostgresSchedulerClass = new (options: { connectionString: string; schema?: string }) => Scheduler;

/** `PostgresScheduler` on its own database, workers in separate processes. */
export const adapter = zartAdapter({
  name: "zart-postgres",
  packageName: "@zart/store-postgres",
  inProcess: false,
  multiProcess: true,
  transactions: true,
  settings: "PostgresScheduler, database bench_zart, store defaults (pool 10, LISTEN/NOTIFY)",
  reset: async (tag, slot) => ({
    system: "zart-postgres",
    tag,
    pgUrl: await resetDatabase(slotted("bench_zart", slot)),
  }),
  create: (module, env) =>
    new (constructorOf<PostgresSchedulerClass>(module, "PostgresScheduler", "@zart/store-postgres"))({
      connectionString: env.pgUrl ?? "",
      schema: "zart",
    }),
});
