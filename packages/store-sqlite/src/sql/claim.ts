import { randomUUID } from "node:crypto";
import type { ClaimedWork, ClaimRequest } from "@zart/core";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Orm, toExecutionRecord, toStepRecord } from "../rows.js";
import { type ExecutionRow, executions, type StepRow, steps } from "../schema.js";

/** One due unit found by {@link DUE_UNITS}: an execution (`position` -1) or a parallel child. */
interface DueUnit {
  executionId: string;
  position: number;
}

/**
 * The due units, oldest due time first (ties: older execution, then id, then the execution before
 * its children by position):
 * - executions pending/waiting with `run_at <= now` (index `zart_executions_due_idx`), or running
 *   with an expired lease, a dead worker's (`zart_executions_lease_idx`);
 * - parallel children pending, or running with an expired lease (the partial `zart_steps_child_*`
 *   indexes), whose parent is not terminal.
 * The limit is applied after the merge with a top-N sort, so the due backlog is scanned through the
 * indexes but never fully sorted.
 */
function dueUnits(now: number, limit: number) {
  return sql`
    SELECT e.execution_id AS executionId, -1 AS position,
           CASE WHEN e.status = 'running' THEN e.lease_expires_at ELSE e.run_at END AS dueAt,
           e.created_at AS createdAt
      FROM ${executions} AS e
     WHERE (e.status IN ('pending', 'waiting') AND e.run_at <= ${now})
        OR (e.status = 'running' AND e.lease_expires_at <= ${now})
    UNION ALL
    SELECT s.execution_id, s.position,
           CASE WHEN s.status = 'running' THEN s.lease_expires_at ELSE coalesce(s.due_at, ${now}) END,
           e.created_at
      FROM ${steps} AS s JOIN ${executions} AS e ON e.execution_id = s.execution_id
     WHERE s.kind = 'parallel'
       AND (s.status = 'pending' OR (s.status = 'running' AND s.lease_expires_at <= ${now}))
       AND e.status NOT IN ('completed', 'failed', 'cancelled')
     ORDER BY dueAt, createdAt, executionId, position
     LIMIT ${limit}`;
}

/**
 * Claims up to `request.limit` due units, each exactly once among all connections and processes.
 *
 * Locking: the caller runs this inside one `BEGIN IMMEDIATE` transaction. SQLite has one writer at
 * a time, and IMMEDIATE takes the write lock before the SELECT, so no other claimer can read the
 * same due rows until this transaction has committed their new lease; it then sees them leased and
 * not due. (A deferred transaction would let two claimers read the same rows and one of them fail
 * on upgrade with SQLITE_BUSY.) Each unit gets a fresh fencing token, so whoever held an expired
 * lease before is fenced out from this commit on.
 */
export function claimDue(orm: Orm, request: ClaimRequest): ClaimedWork[] {
  if (request.limit < 1) return [];
  const now = request.now;
  const expiresAt = new Date(now.getTime() + request.leaseMs);
  const due = orm.all<DueUnit>(dueUnits(now.getTime(), request.limit));
  if (due.length === 0) return [];

  const tokens = due.map((unit) => {
    const token = randomUUID();
    if (unit.position < 0) {
      orm
        .update(executions)
        .set({
          status: "running",
          leaseOwner: request.workerId,
          leaseToken: token,
          leaseExpiresAt: expiresAt,
          startedAt: sql`coalesce(${executions.startedAt}, ${now.getTime()})`,
          waitReason: null,
          waitEvent: null,
        })
        .where(eq(executions.executionId, unit.executionId))
        .run();
    } else {
      orm
        .update(steps)
        .set({
          status: "running",
          leaseToken: token,
          leaseExpiresAt: expiresAt,
          startedAt: sql`coalesce(${steps.startedAt}, ${now.getTime()})`,
          dueAt: null,
        })
        .where(and(eq(steps.executionId, unit.executionId), eq(steps.position, unit.position)))
        .run();
    }
    return token;
  });
  return withHistory(orm, due, tokens);
}

/** Reads the claimed executions and their histories (one query each) and builds the units. */
function withHistory(orm: Orm, due: DueUnit[], tokens: string[]): ClaimedWork[] {
  const ids = [...new Set(due.map((unit) => unit.executionId))];
  const rows = new Map<string, ExecutionRow>(
    orm
      .select()
      .from(executions)
      .where(inArray(executions.executionId, ids))
      .all()
      .map((row) => [row.executionId, row]),
  );
  const histories = new Map<string, StepRow[]>(ids.map((id) => [id, []]));
  const stepRows = orm
    .select()
    .from(steps)
    .where(inArray(steps.executionId, ids))
    .orderBy(asc(steps.executionId), asc(steps.position))
    .all();
  for (const row of stepRows) histories.get(row.executionId)?.push(row);

  return due.map(({ executionId, position }, i): ClaimedWork => {
    const token = tokens[i] as string;
    const execution = toExecutionRecord(rows.get(executionId) as ExecutionRow);
    const history = histories.get(executionId) ?? [];
    const stepRecords = history.map(toStepRecord);
    if (position < 0)
      return { kind: "execution", lease: { executionId, token }, execution, steps: stepRecords };
    const child = history.find((row) => row.position === position) as StepRow;
    return {
      kind: "child",
      lease: { executionId, token, childPosition: position },
      execution,
      steps: stepRecords,
      child: toStepRecord(child),
    };
  });
}
