import type { ExecutionPatch, Lease, RetryExecutionInput } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { fencedBy, GIVE_UP_LEASE, patchSet } from "./fragments.js";

/**
 * Ends a task attempt for a later retry: next attempt, pending at `runAt`, error recorded, lease
 * cleared, every step that is not completed deleted (children included), `retry` NOTIFY at commit.
 *
 * Locking: the fence UPDATE locks the execution row, then the DELETE (FROM the fence) locks step
 * rows. A child completed concurrently (committed first) is re-checked and kept; a child settling
 * after us finds its row gone and gets `LeaseLostError`.
 */
const retrySql = statement(
  "retry-execution",
  (n) => `
  WITH fence AS (
    UPDATE ${n.executions} SET ${patchSet(3, 4)}, attempt = attempt + 1, status = 'pending',
      run_at = $6, error = $5::jsonb, wait_reason = 'retry', wait_event = NULL, unsettled_children = 0, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND lease_token = $2
    RETURNING execution_id
  ), doomed AS (
    DELETE FROM ${n.steps} s USING fence f
    WHERE s.execution_id = f.execution_id AND s.status <> 'completed'
  )
  SELECT count(*)::int AS fenced, CASE WHEN count(*) > 0 THEN pg_notify($7, $8) END AS notified
  FROM fence`,
);

/** Fenced: ends this attempt for a retry at `runAt`. `notify` = [channel, payload]. */
export async function retryExecution(
  db: Database,
  lease: Lease,
  input: RetryExecutionInput,
  patch: ExecutionPatch,
  notify: [string, string],
): Promise<void> {
  await db.fenced<{ fenced: number }>(
    retrySql,
    [
      lease.executionId,
      lease.token,
      patch.data ?? null,
      patch.timeoutAt ?? null,
      JSON.stringify(input.error),
      input.runAt,
      ...notify,
    ],
    fencedBy(lease),
  );
}
