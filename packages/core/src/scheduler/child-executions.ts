/**
 * Contract types of child executions (`ctx.startChild` / `ctx.waitForChild`): a full execution
 * started by another one, its parent. Not to be confused with a parallel child (`ctx.scheduleStep`),
 * which is a step row of its parent.
 */
import type { ExecutionRecord } from "./records.js";

/** What `startChildExecution` writes: the child's row and the parent's `child` step naming it. */
export interface StartChildInput {
  /** The parent's history position of the `startChild` call. */
  position: number;
  stepName: string;
  /** The child's id (derived from the parent's id and the step name unless the caller chose one). */
  childId: string;
  taskName: string;
  /** The child's task version (the one the parent's worker starts it on); absent = unversioned. */
  version?: string;
  /** JSON text of the child's input, already validated. */
  payload: string;
  /** A detached child is not cancelled with its parent. */
  detached: boolean;
  /** The child's `traceContext`: its parent's, so both trace under the same starter. */
  traceContext?: string;
}

/** What `awaitChildExecutions` waits for: all of `childIds`, recorded at `position`. */
export interface AwaitChildrenInput {
  position: number;
  stepName: string;
  childIds: readonly string[];
  /** The parent's wake time if it parks (its task timeout); absent = only a settling child wakes it. */
  wakeAt?: Date;
}

/**
 * `settled`: every awaited child is terminal; their rows, in `childIds` order (nothing written: the
 * engine records the wait's outcome with `saveStep`). `suspended`: the parent parked.
 */
export type ChildWaitOutcome = { outcome: "settled"; children: ExecutionRecord[] } | { outcome: "suspended" };
