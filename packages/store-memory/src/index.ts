export { ManualClock } from "@zart/core";
export { MemoryScheduler, type MemorySchedulerOptions } from "./memory-scheduler.js";
export { MemoryStorage } from "./memory-storage.js";
