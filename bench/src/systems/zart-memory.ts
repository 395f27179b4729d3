import type { Scheduler } from "@zart/core";
import { constructorOf, zartAdapter } from "./zart-adapter.js";

type MemorySchedulerClass = new () => Scheduler;

/** `MemoryScheduler`: one process only, so the worker runs inside the harness. */
export const adapter = zartAdapter({
  name: "zart-memory",
  packageName: "@zart/store-memory",
  inProcess: true,
  multiProcess: false,
  settings: "MemoryScheduler, worker in the bench process",
  reset: async (tag) => ({ system: "zart-memory", tag }),
  create: (module) =>
    new (constructorOf<MemorySchedulerClass>(module, "MemoryScheduler", "@zart/store-memory"))(),
});
