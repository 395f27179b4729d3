import type { ExecutionPatch, Lease, StepWrite } from "@zart/core";
import { type Database, statement } from "../db/database.js";
import { fencedBy, patchSet, stepParams, stepUpsert } from "./fragments.js";

/**
 * The hot path: one statement, one round trip per step.
 *
 * Locking: the fence is an UPDATE of the execution row `WHERE lease_token = $token`, which takes
 * the row lock; under READ COMMITTED a concurrent claim/cancel that committed first makes Postgres
 * re-check the token on the newest row version, so a stale holder matches no row. The step upsert
 * selects FROM the fence, so it writes nothing when the fence matched nothing (and it runs after
 * the execution row is locked: executions before steps, the lock order of every statement here).
 * The statement is idempotent (same position, same values), so `Database.fenced` may re-run it
 * after a connection fault whose commit outcome is unknown.
 *
 * The fence is an UPDATE (a new row version) even when the patch is empty, rather than a mere row
 * lock: a claim racing this write detects it by the execution row's `xmin` (see `claim`), which
 * only a new row version changes.
 */
const saveStepSql = statement(
  "save-step",
  (n) => `
  WITH fence AS (
    UPDATE ${n.executions} SET ${patchSet(3, 4)}
    WHERE execution_id = $1 AND lease_token = $2
    RETURNING execution_id
  ), step AS (
    ${stepUpsert(n, "fence", 5)}
  )
  SELECT count(*)::int AS fenced FROM fence`,
);

/** Fenced: inserts or replaces the step row at `step.position` and applies the patch. */
export async function saveStep(
  db: Database,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
): Promise<void> {
  await db.fenced<{ fenced: number }>(
    saveStepSql,
    [lease.executionId, lease.token, patch.data ?? null, patch.timeoutAt ?? null, ...stepParams(step)],
    fencedBy(lease),
  );
}
