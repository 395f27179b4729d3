import type { ExecutionPatch, Lease, SuspendInput } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import {
  fencedBy,
  GIVE_UP_LEASE,
  patchSet,
  stepParams,
  stepPlaceholders,
  upsertStep,
} from "../sql/fragments.js";

/**
 * Parks an execution for a sleep or a step-retry backoff, writing the step with it.
 *
 * Locking: the fence UPDATE of the execution row by token locks it; the step upsert runs FROM the
 * fence, so it writes nothing when the lease was lost. The fence gives the lease up into
 * `released_by`, so a re-run after a connection fault whose commit outcome is unknown finds no
 * token but that trace, and `Database.fenced` reports the park as done (it committed) rather than
 * `LeaseLostError`. `$7` says whether a step is written (parameters `$8`…`$17`).
 */
const suspendSql = statement(
  "suspend",
  (n) => `
  WITH fence AS (
    UPDATE ${n.executions} SET ${patchSet(3, 4)}, status = 'waiting', wait_reason = $5::text,
      wait_event = NULL, run_at = $6::timestamptz, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND lease_token = $2
    RETURNING execution_id
  ), step AS (
    ${upsertStep(n, `SELECT execution_id, ${stepPlaceholders(8)} FROM fence WHERE $7::boolean`)}
  )
  SELECT count(*)::int AS fenced FROM fence`,
);

const NO_STEP = [null, null, null, null, null, null, null, null, null, null];

/** Fenced: writes `step` (if given) and parks the execution until `wakeAt`; clears the lease. */
export async function suspend(
  db: Database,
  lease: Lease,
  input: SuspendInput,
  patch: ExecutionPatch,
): Promise<void> {
  await db.fenced<{ fenced: number }>(
    suspendSql,
    [
      lease.executionId,
      lease.token,
      patch.data ?? null,
      patch.timeoutAt ?? null,
      input.reason,
      input.wakeAt,
      input.step !== undefined,
      ...(input.step === undefined ? NO_STEP : stepParams(input.step)),
    ],
    fencedBy(lease),
  );
}
