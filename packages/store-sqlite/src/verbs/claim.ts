import { randomUUID } from "node:crypto";
import {
  type ClaimedWork,
  type ClaimRequest,
  childLease,
  claimKeys,
  executionLease,
  type StepRecord,
} from "@zart/core/store";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection, prepareSql, raw } from "../db/prepared.js";
import { countStarts, deferOverRate } from "../db/rate-windows.js";
import { toExecutionRecord, toStepRecord } from "../db/rows.js";
import { type ExecutionRow, executions, steps } from "../db/schema.js";

/** One due unit: an execution (`position` -1) or one of its parallel children. */
interface DueUnit {
  executionId: string;
  position: number;
  /** An execution's task and concurrency group (null for a child). */
  taskName: string | null;
  concurrencyKey: string | null;
}

/**
 * The row's `claimKey` (task name, then a newline and the version when it has one) is one of the
 * claim's `claimKeys` (a JSON array, so the statement stays prepared).
 */
function ofClaimedTasks(alias: string) {
  const key = sql.raw(`coalesce(${alias}task_name || char(10) || ${alias}version, ${alias}task_name)`);
  return sql`${key} IN (SELECT value FROM json_each(${sql.placeholder("taskNames")}))`;
}

/**
 * Due executions in one status, oldest first by `column` (`run_at`, or the lease's expiry): those
 * without a priority, or (`prioritized`) those with one, higher first. Kept apart so that each reads
 * its own index in claim order and the unprioritized claim stays what it was.
 */
function dueExecutions(
  status: "pending" | "waiting" | "running",
  column: "run_at" | "lease_expires_at",
  prioritized: boolean,
  limited: boolean,
) {
  const notFull = limited
    ? sql` AND (concurrency_key IS NULL OR concurrency_key NOT IN (SELECT value FROM json_each(${sql.placeholder("full")})))`
    : sql``;
  const order = prioritized ? sql`priority DESC, ` : sql``;
  return sql`
    SELECT * FROM (
      SELECT execution_id AS executionId, -1 AS position, ${sql.raw(column)} AS dueAt, created_at AS createdAt,
             coalesce(priority, 0) AS priority, task_name AS taskName, concurrency_key AS concurrencyKey
        FROM ${executions}
       WHERE status = ${sql.raw(`'${status}'`)} AND ${sql.raw(column)} <= ${sql.placeholder("now")}
         AND priority ${prioritized ? sql`IS NOT NULL` : sql`IS NULL`} AND ${ofClaimedTasks("")}${notFull}
       ORDER BY ${order}${sql.raw(column)}, created_at, execution_id
       LIMIT ${sql.placeholder("limit")})`;
}

/** Due parallel children in one status (of a live parent), oldest first by `column`. */
function dueChildren(status: "pending" | "running", column: "due_at" | "lease_expires_at") {
  const due = sql` AND s.${sql.raw(column)} <= ${sql.placeholder("now")}`;
  return sql`
    SELECT * FROM (
      SELECT s.execution_id, s.position, coalesce(s.${sql.raw(column)}, ${sql.placeholder("now")}), e.created_at, 0,
             NULL, NULL
        FROM ${steps} AS s JOIN ${executions} AS e ON e.execution_id = s.execution_id
       WHERE s.kind = 'parallel' AND s.status = ${sql.raw(`'${status}'`)}${due}
         AND e.status NOT IN ('completed', 'failed', 'cancelled') AND ${ofClaimedTasks("e.")}
       ORDER BY s.${sql.raw(column)}, s.execution_id, s.position
       LIMIT ${sql.placeholder("limit")})`;
}

/**
 * The due units, higher priority first (children rank as 0), then oldest due time first
 * (ties: older execution, then id, then the execution before its children by position):
 * - executions pending or waiting with `run_at <= now`, or running with an expired lease (a dead
 *   worker's);
 * - parallel children pending, or running with an expired lease, whose parent is not terminal;
 * each of a task and version in the claim's `claimKeys` (a child by its parent's).
 * Each of the eight kinds (five, and the three execution kinds again for prioritized ones) is read in claim order straight from its index (`zart_executions_due_idx`,
 * `zart_executions_lease_idx`, the partial `zart_steps_child_*` ones, hence the literal statuses
 * and `kind = 'parallel'`) and cut at the limit, so a claim merges at most 8 × limit rows however
 * large the due backlog; the merge sorts only those. Due rows of other tasks are skipped on the
 * index scan: a backlog of them ahead of ours lengthens the scan, never empties the result.
 * `limited` (the claim with concurrency limits) also skips executions of the groups in `full`.
 */
function dueUnits(limited: boolean) {
  return sql`
  ${dueExecutions("pending", "run_at", false, limited)}
  UNION ALL ${dueExecutions("waiting", "run_at", false, limited)}
  UNION ALL ${dueExecutions("running", "lease_expires_at", false, limited)}
  UNION ALL ${dueChildren("pending", "due_at")}
  UNION ALL ${dueChildren("running", "lease_expires_at")}
  UNION ALL ${dueExecutions("pending", "run_at", true, limited)}
  UNION ALL ${dueExecutions("waiting", "run_at", true, limited)}
  UNION ALL ${dueExecutions("running", "lease_expires_at", true, limited)}
  ORDER BY priority DESC, dueAt, createdAt, executionId, position
  LIMIT ${sql.placeholder("limit")}`;
}

/** Unexpired leases held per concurrency group (only the limited claim reads it). */
const HELD = sql`
  SELECT concurrency_key AS concurrencyKey, max(task_name) AS taskName, count(*) AS held FROM ${executions}
   WHERE concurrency_key IS NOT NULL AND status = 'running' AND lease_expires_at > ${sql.placeholder("now")}
   GROUP BY concurrency_key`;

const statements = preparedPerConnection((orm) => ({
  dueUnits: prepareSql<DueUnit>(orm, dueUnits(false)),
  dueUnitsLimited: prepareSql<DueUnit>(orm, dueUnits(true)),
  held: prepareSql<{ concurrencyKey: string; taskName: string; held: number }>(orm, HELD),
  leaseExecution: orm
    .update(executions)
    .set({
      status: "running",
      leaseOwner: raw("workerId"),
      leaseToken: raw("token"),
      leaseExpiresAt: raw("expiresAt"),
      startedAt: sql`coalesce(${executions.startedAt}, ${sql.placeholder("now")})`,
      waitReason: null,
      waitEvent: null,
      rateLimitedUntil: null,
    })
    .where(eq(executions.executionId, sql.placeholder("id")))
    .prepare(),
  leaseChild: orm
    .update(steps)
    .set({
      status: "running",
      leaseToken: raw("token"),
      leaseExpiresAt: raw("expiresAt"),
      startedAt: sql`coalesce(${steps.startedAt}, ${sql.placeholder("now")})`,
      dueAt: null,
    })
    .where(and(eq(steps.executionId, sql.placeholder("id")), eq(steps.position, sql.placeholder("position"))))
    .prepare(),
  execution: orm
    .select()
    .from(executions)
    .where(eq(executions.executionId, sql.placeholder("id")))
    .prepare(),
  history: orm
    .select()
    .from(steps)
    .where(and(eq(steps.executionId, sql.placeholder("id")), lte(steps.position, sql.placeholder("last"))))
    .orderBy(asc(steps.position))
    .prepare(),
}));

/**
 * The first `request.limit` due units (claim order) that fit the concurrency limits: an execution
 * of a limited task with a `concurrency_key` only while fewer than its limit hold an unexpired lease
 * with that key, counting those taken here. The groups already full are skipped in the query
 * (`full`); when a group fills up during the walk and passes units over, the query runs again with
 * it skipped too, so it runs at most once more per group this claim fills. Runs in the claim's
 * `BEGIN IMMEDIATE` transaction: no other claimer leases anything between the count and the claim.
 */
function dueWithinLimits(
  prepared: ReturnType<typeof statements>,
  request: ClaimRequest,
  limits: Readonly<Record<string, number>>,
): DueUnit[] {
  const now = request.now.getTime();
  const taskNames = JSON.stringify(claimKeys(request));
  const counts = new Map<string, number>();
  const full = new Set<string>();
  for (const row of prepared.held.all({ now })) {
    counts.set(row.concurrencyKey, row.held);
    const max = limits[row.taskName];
    if (max !== undefined && row.held >= max) full.add(row.concurrencyKey);
  }
  const taken = new Map<string, DueUnit>();
  for (;;) {
    const window = request.limit + taken.size;
    const units = prepared.dueUnitsLimited.all({
      now,
      limit: window,
      taskNames,
      full: JSON.stringify([...full]),
    });
    let passedOver = false;
    for (const unit of units) {
      const id = `${unit.position}:${unit.executionId}`;
      if (taken.size >= request.limit) break;
      if (taken.has(id)) continue;
      const max = unit.taskName === null ? undefined : limits[unit.taskName];
      if (unit.concurrencyKey !== null && max !== undefined) {
        const count = counts.get(unit.concurrencyKey) ?? 0;
        if (count >= max) {
          passedOver = true;
          full.add(unit.concurrencyKey);
          continue;
        }
        counts.set(unit.concurrencyKey, count + 1);
      }
      taken.set(id, unit);
    }
    if (taken.size >= request.limit || units.length < window || !passedOver) return [...taken.values()];
  }
}

/**
 * Claims up to `request.limit` due units, each exactly once among all connections and processes.
 *
 * Locking: this runs inside one `BEGIN IMMEDIATE` transaction. SQLite has one writer at
 * a time, and IMMEDIATE takes the write lock before the SELECT, so no other claimer can read the
 * same due rows until this transaction has committed their new leases; it then sees them leased and
 * not due. (In a deferred transaction two claimers could read the same rows, and one would fail
 * with SQLITE_BUSY when upgrading to write.) Each unit gets a fresh fencing token, so whoever held
 * an expired lease before is fenced out from this commit on.
 */
export async function claim(ctx: SqliteContext, request: ClaimRequest): Promise<ClaimedWork[]> {
  const { orm } = ctx;
  return ctx.write(() => {
    const keys = claimKeys(request);
    if (request.limit < 1 || keys.length === 0) return [];
    const prepared = statements(orm);
    const now = request.now.getTime();
    const expiresAt = now + request.leaseMs;
    const taskNames = JSON.stringify(keys);
    // Rate limits: first starts past their window's room are deferred before the due units are read.
    const budget = request.rateLimits && deferOverRate(orm, request, keys);
    const due = request.concurrencyLimits
      ? dueWithinLimits(prepared, request, request.concurrencyLimits)
      : prepared.dueUnits.all({ now, limit: request.limit, taskNames });
    const tokens = due.map(({ executionId, position }) => {
      const token = randomUUID();
      if (position < 0) {
        prepared.leaseExecution.run({ id: executionId, workerId: request.workerId, token, expiresAt, now });
      } else {
        prepared.leaseChild.run({ id: executionId, position, token, expiresAt, now });
      }
      return token;
    });
    if (budget) countStarts(orm, due, budget, now);

    // Read after every lease is written, so each unit sees the state this claim committed. One read
    // per execution, up to the last position its units need: a child needs the steps before it and
    // its own row, an execution its whole history.
    const last = new Map<string, number>();
    for (const { executionId: id, position } of due) {
      last.set(id, Math.max(last.get(id) ?? -1, position < 0 ? Number.MAX_SAFE_INTEGER : position));
    }
    const rows = new Map<string, { execution: ExecutionRow; history: StepRecord[] }>();
    for (const [id, upTo] of last) {
      rows.set(id, {
        execution: prepared.execution.get({ id }) as ExecutionRow,
        history: prepared.history.all({ id, last: upTo }).map(toStepRecord),
      });
    }
    return due.map(({ executionId, position }, i): ClaimedWork => {
      const token = tokens[i] as string;
      const { execution, history } = rows.get(executionId) as {
        execution: ExecutionRow;
        history: StepRecord[];
      };
      const record = toExecutionRecord(execution);
      if (position < 0) {
        return {
          kind: "execution",
          lease: executionLease(executionId, token),
          execution: record,
          steps: history,
        };
      }
      return {
        kind: "child",
        lease: childLease(executionId, token, position),
        execution: record,
        steps: history.filter((step) => step.position < position),
        child: history.find((step) => step.position === position) as StepRecord,
      };
    });
  });
}
