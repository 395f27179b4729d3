import type { ExecutionPatch, FailExecutionInput, Lease } from "@zart/core/store";
import { statement } from "../db/database.js";
import { CLEAR_LEASE, GIVE_UP_LEASE, patchSet, TERMINAL } from "./fragments.js";

/**
 * Fails the execution for good and cancels its unsettled children.
 *
 * Locking: the fence UPDATE locks the execution row first; the children UPDATE runs FROM the
 * fence, so it locks child rows only after the parent (the global lock order). A child settled
 * concurrently (committed first) is re-checked on its newest version and left alone.
 */
export const failSql = statement(
  "fail-execution",
  (n) => `
  WITH fence AS (
    UPDATE ${n.executions} SET ${patchSet(3, 4)}, status = 'failed', error = $5::jsonb,
      completed_at = $6, wait_reason = NULL, wait_event = NULL, unsettled_children = 0, ${GIVE_UP_LEASE}
    WHERE execution_id = $1 AND lease_token = $2
    RETURNING execution_id
  ), children AS (
    UPDATE ${n.steps} s SET status = 'cancelled', completed_at = $6, ready_at = NULL, ${CLEAR_LEASE}
    FROM fence f
    WHERE s.execution_id = f.execution_id AND s.kind = 'parallel' AND s.status NOT IN ${TERMINAL}
  )
  SELECT count(*)::int AS fenced FROM fence`,
);

/** The parameters of `failSql`, in its order (shared with the settle of a child execution). */
export function failParams(
  lease: Lease,
  input: FailExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): unknown[] {
  return [
    lease.executionId,
    lease.token,
    patch.data ?? null,
    patch.timeoutAt ?? null,
    JSON.stringify(input.error),
    now,
  ];
}
