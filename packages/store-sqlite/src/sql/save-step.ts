import type { ExecutionPatch, Lease, StepWrite } from "@zart/core";
import { updateFenced } from "../fencing.js";
import { NO_LEASE, type Orm, stepValues } from "../rows.js";
import { steps } from "../schema.js";

/** Inserts or replaces the step row at `step.position` (dropping any child lease held there). */
export function upsertStep(orm: Orm, executionId: string, step: StepWrite): void {
  const values = stepValues(executionId, step);
  const { executionId: _id, position: _position, ...columns } = values;
  orm
    .insert(steps)
    .values(values)
    .onConflictDoUpdate({ target: [steps.executionId, steps.position], set: columns })
    .run();
}

/**
 * Fenced: inserts or replaces the step and applies the patch. The hot path's write: one fenced
 * `UPDATE` of the execution and one upsert, in the caller's `BEGIN IMMEDIATE` transaction (the
 * fence first, so a rejected write changes nothing).
 */
export function saveStep(orm: Orm, lease: Lease, step: StepWrite, patch: ExecutionPatch): void {
  updateFenced(orm, lease, patch);
  upsertStep(orm, lease.executionId, step);
}

/** Fenced: writes `step` if given and parks the execution until `wakeAt` (sleep or retry backoff). */
export function suspend(
  orm: Orm,
  lease: Lease,
  input: { step?: StepWrite; wakeAt: Date; reason: "sleep" | "retry" },
  patch: ExecutionPatch,
): void {
  updateFenced(orm, lease, patch, {
    status: "waiting",
    waitReason: input.reason,
    waitEvent: null,
    runAt: input.wakeAt,
    ...NO_LEASE,
  });
  if (input.step !== undefined) upsertStep(orm, lease.executionId, input.step);
}
