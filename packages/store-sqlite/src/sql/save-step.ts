import type { ExecutionPatch, Lease, StepWrite, SuspendInput } from "@zart/core/store";
import { type Column, sql } from "drizzle-orm";
import { fence, updateFenced } from "../fencing.js";
import { json, ms, preparedPerConnection, raw } from "../prepared.js";
import { NO_LEASE, type Orm } from "../rows.js";
import { steps } from "../schema.js";

/** The value the conflicting insert proposed for `column`. */
const excluded = (column: Column) => sql.raw(`excluded."${column.name}"`);

const statements = preparedPerConnection((orm) => ({
  // Insert or replace the row at (execution, position); a child lease held there is dropped.
  upsert: orm
    .insert(steps)
    .values({
      executionId: sql.placeholder("executionId"),
      position: sql.placeholder("position"),
      name: sql.placeholder("name"),
      kind: sql.placeholder("kind"),
      status: sql.placeholder("status"),
      result: sql.placeholder("result"),
      error: raw("error"),
      attempts: sql.placeholder("attempts"),
      wakeAt: raw("wakeAt"),
      startedAt: raw("startedAt"),
      completedAt: raw("completedAt"),
    })
    .onConflictDoUpdate({
      target: [steps.executionId, steps.position],
      set: {
        name: excluded(steps.name),
        kind: excluded(steps.kind),
        status: excluded(steps.status),
        result: excluded(steps.result),
        error: excluded(steps.error),
        attempts: excluded(steps.attempts),
        wakeAt: excluded(steps.wakeAt),
        startedAt: excluded(steps.startedAt),
        completedAt: excluded(steps.completedAt),
        leaseToken: null,
        leaseExpiresAt: null,
        dueAt: null,
      },
    })
    .prepare(),
}));

/** Inserts or replaces the step row at `step.position` (dropping any child lease held there). */
export function upsertStep(orm: Orm, executionId: string, step: StepWrite): void {
  statements(orm).upsert.run({
    executionId,
    position: step.position,
    name: step.name,
    kind: step.kind,
    status: step.status,
    result: step.result ?? null,
    error: json(step.error),
    attempts: step.attempts,
    wakeAt: ms(step.wakeAt),
    startedAt: ms(step.startedAt),
    completedAt: ms(step.completedAt),
  });
}

/**
 * Fenced: inserts or replaces the step and applies the patch. The hot path's write: one fenced
 * `UPDATE` of the execution and one upsert, both prepared, in the caller's `BEGIN IMMEDIATE`
 * transaction (the fence first, so a rejected write changes nothing).
 */
export function saveStep(orm: Orm, lease: Lease, step: StepWrite, patch: ExecutionPatch): void {
  fence(orm, lease, patch);
  upsertStep(orm, lease.executionId, step);
}

/** Fenced: writes `step` if given and parks the execution until `wakeAt` (sleep or retry backoff). */
export function suspend(orm: Orm, lease: Lease, input: SuspendInput, patch: ExecutionPatch): void {
  updateFenced(orm, lease, patch, {
    status: "waiting",
    waitReason: input.reason,
    waitEvent: null,
    runAt: input.wakeAt,
    ...NO_LEASE,
  });
  if (input.step !== undefined) upsertStep(orm, lease.executionId, input.step);
}
