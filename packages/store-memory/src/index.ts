export { ManualClock } from "@zart/core";
export { storeLoader } from "./loader.js";
export { MemoryScheduler } from "./memory-scheduler.js";
export type { MemorySchedulerOptions } from "./options.js";
export { MemoryStorage } from "./storage/memory-storage.js";
