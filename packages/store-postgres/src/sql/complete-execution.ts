import type { ExecutionPatch, Lease } from "@zart/core";
import { type Database, statement } from "../db/database.js";
import { GIVE_UP_LEASE, patchSet, updatedBy } from "./fragments.js";

/**
 * The last write of a successful run.
 *
 * Locking: a single-row UPDATE by primary key fenced by the token. It gives the lease up
 * (`released_by` = token), so a re-run after an unknown commit outcome matches nothing and is
 * recognized as already done instead of writing twice.
 */
const completeSql = statement(
  "complete-execution",
  (n) => `
  UPDATE ${n.executions} SET ${patchSet(3, 4)}, status = 'completed', result = $5::text, error = NULL,
    completed_at = $6, wait_reason = NULL, wait_event = NULL, ${GIVE_UP_LEASE}
  WHERE execution_id = $1 AND lease_token = $2`,
);

/**
 * Fenced: status `completed`, `result`, `completedAt = now`, lease cleared. The error of an earlier
 * failed attempt is cleared: a completed execution has no error.
 */
export async function completeExecution(
  db: Database,
  lease: Lease,
  input: { result?: string },
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  await db.fenced(
    completeSql,
    [lease.executionId, lease.token, patch.data ?? null, patch.timeoutAt ?? null, input.result ?? null, now],
    updatedBy(lease),
  );
}
