import { StoreUnavailableError } from "@zart/core";
import type { DispatchChildrenInput, DispatchOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import { type StepRow, toStepRecords } from "../db/rows.js";
import { fencedBy, patchSet, TERMINAL } from "../sql/fragments.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * Inserts the parallel children that do not exist yet and parks the parent while any is unsettled.
 *
 * Locking: the parent row is locked first (`FOR UPDATE … WHERE lease_token = $token`, re-checked
 * on the newest version: the fence), then the children are inserted (ON CONFLICT DO NOTHING keeps
 * existing ones), then the parent is updated FROM the insert: `unsettled_children` grows by the
 * number inserted and decides whether the parent parks. The counter, not a scan of the children,
 * decides, because only a row-locked counter is exact under READ COMMITTED (see `settle-child`).
 * When nothing is left unsettled, the children's rows are returned from the snapshot; if a child
 * settled after it was taken they look unsettled and the caller re-runs the (idempotent) statement.
 * A `created` NOTIFY is sent at commit when children were inserted: new claimable work.
 */
const dispatchSql = statement(
  "dispatch-children",
  (n) => `
  WITH p AS (
    SELECT execution_id FROM ${n.executions} WHERE execution_id = $1 AND lease_token = $2 FOR UPDATE
  ), inserted AS (
    INSERT INTO ${n.steps} (execution_id, position, name, kind, status, attempts, ready_at)
    SELECT p.execution_id, c.position, c.name, 'parallel', 'pending', 0, $8::timestamptz
    FROM p, unnest($5::int[], $6::text[]) AS c(position, name)
    ON CONFLICT (execution_id, position) DO NOTHING
    RETURNING position
  ), parked AS (
    UPDATE ${n.executions} e SET ${patchSet(3, 4)},
      unsettled_children = e.unsettled_children + (SELECT count(*) FROM inserted)::int,
      status = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN 'waiting' ELSE e.status END,
      wait_reason = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN 'children' ELSE e.wait_reason END,
      wait_event = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN NULL ELSE e.wait_event END,
      run_at = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN $7::timestamptz ELSE e.run_at END,
      released_by = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN e.lease_token ELSE e.released_by END,
      lease_owner = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN NULL ELSE e.lease_owner END,
      lease_token = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN NULL ELSE e.lease_token END,
      lease_expires_at = CASE WHEN e.unsettled_children + (SELECT count(*) FROM inserted) > 0 THEN NULL ELSE e.lease_expires_at END
    FROM p WHERE e.execution_id = p.execution_id
    RETURNING e.unsettled_children
  )
  SELECT (SELECT count(*) FROM p)::int AS fenced,
    (SELECT unsettled_children FROM parked) AS unsettled,
    (SELECT json_agg(s ORDER BY s.position) FROM ${n.steps} s
      WHERE s.execution_id = $1 AND s.kind = 'parallel') AS children,
    CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN pg_notify($9, $10)::text END AS notified`,
);

interface DispatchRow {
  fenced: number;
  unsettled: number | null;
  children: StepRow[] | null;
}

const MAX_RERUNS = 20;

/** Fenced: inserts the missing children; parks the execution while any child is unsettled. */
export async function dispatchChildren(
  db: Database,
  wakeUps: WakeUps,
  lease: Lease,
  input: DispatchChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<DispatchOutcome> {
  const values = [
    lease.executionId,
    lease.token,
    patch.data ?? null,
    patch.timeoutAt ?? null,
    input.children.map((child) => child.position),
    input.children.map((child) => child.name),
    input.wakeAt ?? null,
    now,
    ...wakeUps.notice("created", lease.executionId),
  ];
  for (let attempt = 0; attempt < MAX_RERUNS; attempt++) {
    const { result, replayed } = await db.fenced<DispatchRow>(dispatchSql, values, fencedBy(lease));
    const row = result.rows[0]!;
    if (replayed || (row.unsettled ?? 0) > 0) {
      wakeUps.emit("created", lease.executionId);
      return { suspended: true };
    }
    const children = toStepRecords(row.children);
    if (children.every((child) => isSettled(child.status))) return { suspended: false, children };
  }
  throw new StoreUnavailableError(
    `Reading the parallel steps of "${lease.executionId}" kept racing their settlement; retry.`,
  );
}

function isSettled(status: string): boolean {
  return TERMINAL.includes(`'${status}'`);
}
