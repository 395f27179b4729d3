/**
 * The Redis store's hot verbs one phase at a time, for the server's cost of each (see `README.md`
 * here): N one-step executions are created (1,000 a call, as the bench's `startMany`), claimed
 * (claims of 24), given their step write, then completed (64 callers at once, so writes batch as
 * they do under a worker). Prints, per phase, the Redis server's CPU per unit (`INFO cpu`: give it
 * a server of its own) and this process's.
 *
 * With `REDIS_CG_PID=<pid>` of a `redis-server` running under
 * `valgrind --tool=callgrind`, each phase is also framed by `callgrind_control -z` / `-d <phase>`,
 * so the dumps hold the server's instructions of that phase alone (divide by N).
 */

import { spawnSync } from "node:child_process";
import type { Logger } from "@zart/core";
import type { ClaimedWork } from "@zart/core/store";
import { RedisScheduler } from "@zart/store-redis";
import { Redis } from "ioredis";

const url = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const count = Number(process.argv[2] ?? 10_000);
const callgrindPid = process.env.REDIS_CG_PID;
const prefix = `zstoreops-${process.pid}:`;
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (f, m) => console.error(m, f),
};

function callgrind(...args: string[]): void {
  if (callgrindPid) spawnSync("callgrind_control", [...args, callgrindPid], { stdio: "ignore" });
}

async function redisCpu(admin: Redis): Promise<number> {
  const info = await admin.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

async function phase(admin: Redis, name: string, run: () => Promise<unknown>): Promise<void> {
  callgrind("-z");
  const server = await redisCpu(admin);
  const client = process.cpuUsage();
  await run();
  callgrind("-d", name);
  const used = process.cpuUsage(client);
  const serverUs = ((await redisCpu(admin)) - server) * 1e6;
  console.log(
    `${name}: Redis ${(serverUs / count).toFixed(1)} µs/unit, client ${((used.user + used.system) / count).toFixed(1)} µs/unit`,
  );
}

/** Runs `each` over `items` from 64 callers at once. */
async function concurrently<T>(items: T[], each: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const caller = async () => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: 64 }, caller));
}

const admin = new Redis(url);
const scheduler = new RedisScheduler({ url, prefix, logger: quiet });
await scheduler.migrate();
await phase(admin, "create", async () => {
  for (let first = 0; first < count; first += 1_000) {
    const items = Array.from({ length: Math.min(1_000, count - first) }, (_, i) => ({
      executionId: `e${first + i}`,
      taskName: "one-step",
      payload: `{"n":${first + i}}`,
      runAt: new Date(0),
    }));
    await scheduler.createExecutions(items, new Date());
  }
});
const work: ClaimedWork[] = [];
await phase(admin, "claim", async () => {
  for (;;) {
    const request = { workerId: "store-ops", taskNames: ["one-step"], limit: 24, leaseMs: 60_000 };
    const claimed = await scheduler.claim({ ...request, now: new Date() });
    if (claimed.length === 0) return;
    work.push(...claimed);
  }
});
await phase(admin, "step", () =>
  concurrently(work, (unit) => {
    const at = new Date();
    const step = { name: "s0", kind: "step", status: "completed", attempts: 1, result: "0" } as const;
    return scheduler.saveStep(unit.lease, { ...step, position: 0, startedAt: at, completedAt: at }, {}, at);
  }),
);
await phase(admin, "complete", () =>
  concurrently(work, (unit) =>
    scheduler.completeExecution(unit.lease, { result: undefined }, {}, new Date()),
  ),
);
await scheduler.close();
let cursor = "0";
do {
  const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
  if (keys.length > 0) await admin.unlink(...keys);
  cursor = next;
} while (cursor !== "0");
await admin.quit();
