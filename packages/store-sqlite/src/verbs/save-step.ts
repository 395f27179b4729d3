import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import { type Column, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { fence } from "../db/fencing.js";
import { json, ms, preparedPerConnection, raw } from "../db/prepared.js";
import type { Orm } from "../db/rows.js";
import { steps } from "../db/schema.js";

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
      traceContext: sql.placeholder("traceContext"),
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
        traceContext: excluded(steps.traceContext),
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
    traceContext: step.traceContext ?? null,
  });
}

/** Fenced: inserts or replaces the step at `step.position` and applies the patch. */
export async function saveStep(
  ctx: SqliteContext,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  await ctx.writeBatched(() => writeStep(ctx.orm, lease, step, patch));
}

/**
 * The hot path's write: one fenced `UPDATE` of the execution and one upsert, both prepared, in the
 * caller's `BEGIN IMMEDIATE` transaction (the fence first, so a rejected write changes nothing).
 */
export function writeStep(orm: Orm, lease: Lease, step: StepWrite, patch: ExecutionPatch): void {
  fence(orm, lease, patch);
  upsertStep(orm, lease.executionId, step);
}
