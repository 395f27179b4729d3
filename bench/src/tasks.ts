/**
 * The task kinds every system implements, with the marks their bodies report. Each execution gets
 * a `TaskInput` whose `id` is ours (not the system's), so marks can be matched across systems.
 *
 * | kind          | body                                                                  | marks          |
 * |---------------|-----------------------------------------------------------------------|----------------|
 * | `three-steps` | three no-op steps                                                     | `d` in step 3  |
 * | `one-step`    | one no-op step (a queue: one job)                                     | `d` in step 1  |
 * | `wait-event`  | step `a`, wait for event `go`, step `b`                               | `a`, `b`       |
 * | `fan-out`     | `width` parallel no-op steps, wait for all, step `after`              | `d` in `after` |
 * | `sleep`       | step `t0` returns now, durable sleep `sleepMs`, step `after`          | `lag` (value = ms late) |
 * | `children`    | invoke `width` child executions of three no-op steps, then step `after` | `d` in `after` |
 * | `keyed-three-steps` | `three-steps`, at most `KEY_LIMIT` running per `key` fleet-wide   | `d` in step 3  |
 * | `tx-write`    | one transactional step inserting row `id` into the app table (same database) | `d` after it |
 * | `step-write`  | one step inserting row `id` through the app's own connection          | `d` after it   |
 */
export type TaskKind = BasicKind | "children" | "keyed-three-steps" | AppWriteKind;
/** The kinds of W1–W6. */
export type BasicKind = "three-steps" | "one-step" | "wait-event" | "fan-out" | "sleep";
/** W9: the kinds writing one row into the application's table (see systems/app-table.ts). */
export type AppWriteKind = "tx-write" | "step-write";

/** The kinds of W1–W6, which every durable-execution system implements. */
export const ALL_KINDS: readonly BasicKind[] = ["three-steps", "one-step", "wait-event", "fan-out", "sleep"];
/** With `children` (child executions, W7): systems that can compose workflows. */
export const COMPOSING_KINDS: readonly TaskKind[] = [...ALL_KINDS, "children"];
export const QUEUE_KINDS: readonly TaskKind[] = ["one-step"];
export const APP_WRITE_KINDS: readonly AppWriteKind[] = ["tx-write", "step-write"];

/** W8: how many executions of one key may run at once (a task's or a queue's per-key limit). */
export const KEY_LIMIT = 2;

export interface TaskInput {
  id: string;
  /** `fan-out`: number of parallel steps; `children`: number of child executions. */
  width?: number;
  /** `sleep`: sleep length in ms. */
  sleepMs?: number;
  /** `keyed-three-steps`: the concurrency key. */
  key?: string;
}

/** The mark a traced worker (W10) reports when it stops: value = spans its tracer exported. */
export const SPANS_MARK = "spans";

/** The event `wait-event` waits for. */
export const EVENT_NAME = "go";

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The `lag` mark's value: how late the step after a sleep started, in ms. */
export function lagSince(t0: number, sleepMs: number): number {
  return now() - (t0 + sleepMs);
}
