import type { WakeReason } from "@zart/core/store";
import type { ScriptExecutor } from "./executor.js";
import type { FencedWrites } from "./fenced-writes.js";

/** What every verb runs with: the scripts, this scheduler's origin and its own listeners. */
export interface RedisContext {
  readonly executor: ScriptExecutor;
  /** The batched hot-path writes (step writes, completions, failures). */
  readonly writes: FencedWrites;
  /** Identifies this scheduler's wake-ups on the channel (the scripts publish it). */
  readonly origin: string;
  /** Wakes this scheduler's own listeners at once; other schedulers hear the script's publish. */
  readonly emit: (reason: WakeReason, executionId: string) => void;
}
