import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Scheduler } from "@zart/core";
import { slotted } from "./types.js";
import { constructorOf, zartAdapter } from "./zart-adapter.js";

type SqliteSchedulerClass = new (options: { path: string }) => Scheduler;

const DIR = join(tmpdir(), "zart-bench");

/**
 * `SqliteScheduler` on a file (WAL). The embedded store: single-worker workloads run the worker in
 * the bench process (where its push wake-ups reach it); two-worker workloads use two processes on
 * the same file.
 */
export const adapter = zartAdapter({
  name: "zart-sqlite",
  packageName: "@zart/store-sqlite",
  inProcess: true,
  multiProcess: true,
  transactions: true,
  settings:
    `SqliteScheduler on a file in ${DIR} (store defaults: WAL, synchronous NORMAL); one-worker workloads ` +
    "in the bench process; two-worker workloads in two processes on the same file (push is in-process " +
    "only, so wake-ups across processes come from polling, 1 s)",
  async reset(tag, slot) {
    await mkdir(DIR, { recursive: true });
    const path = join(DIR, `${slotted("bench", slot, "-")}.db`);
    for (const suffix of ["", "-wal", "-shm"]) await rm(`${path}${suffix}`, { force: true });
    return { system: "zart-sqlite", tag, path };
  },
  create: (module, env) =>
    new (constructorOf<SqliteSchedulerClass>(module, "SqliteScheduler", "@zart/store-sqlite"))({
      path: env.path ?? "",
    }),
});
