import type { WakeUp } from "@zart/core/store";
import type { MemoryStorage } from "./memory-storage.js";

/**
 * What every verb runs against: the data, and the scheduler's wake-up emitter (the scheduler owns
 * the hub; a verb emits once its change is made, and listeners hear it in a later microtask).
 */
export interface MemoryContext {
  storage: MemoryStorage;
  emit(reason: WakeUp["reason"], executionId: string): void;
}
