export { ManualClock } from "@zart/core";
export { storeLoader } from "./loader.js";
export { MemoryScheduler, type MemorySchedulerOptions } from "./memory-scheduler.js";
export { MemoryStorage } from "./memory-storage.js";
