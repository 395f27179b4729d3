import { type Clock, systemClock } from "@zart/core";
import { MemoryStorage } from "./storage/memory-storage.js";

/** Options of {@link MemoryScheduler}. */
export interface MemorySchedulerOptions {
  /** The clock the engine reads `now` from. Default: the system clock. */
  clock?: Clock;
  /**
   * The state to work on. Pass another scheduler's `storage` to reopen its data after `close()`.
   * Default: a fresh, empty `MemoryStorage`.
   */
  storage?: MemoryStorage;
}

/** The options with their defaults filled in (nothing to validate: both are objects the caller built). */
export function resolveOptions(options: MemorySchedulerOptions): Required<MemorySchedulerOptions> {
  return { clock: options.clock ?? systemClock, storage: options.storage ?? new MemoryStorage() };
}
