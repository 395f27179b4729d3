import {
  type EventRecord,
  type ExecutionDetails,
  type ExecutionRecord,
  type ListFilter,
  type PurgeFilter,
  queueKeyRange,
  type RunSummary,
  type StepRecord,
} from "@zart/core/store";
import { and, asc, desc, eq, gt, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { type Database, statement } from "../db/database.js";
import {
  type EventRow,
  type ExecutionRow,
  type StepRow,
  toEventRecord,
  toExecutionRecord,
  toStepRecord,
} from "../db/rows.js";
import type { OrmSchema } from "../schema/relations.js";

/**
 * The cold reads (status, list) and purge, written with the drizzle query builder.
 *
 * Consistency: a relational query (`db.query…findMany({ with })`) is ONE statement (steps and
 * events are aggregated in lateral subqueries), so the execution, its steps and its mailbox come
 * from one snapshot. Indexes: `executions_created_idx` / `_status_created_idx` /
 * `_task_created_idx` serve "newest first" with each filter; `executions_completed_idx` and
 * `runs_completed_idx` serve purge. Purge deletes executions (steps and events go with them, ON
 * DELETE CASCADE), the archived runs it matches, every run of a purged execution, and the
 * debounce holder rows naming a purged execution (by the primary key's task prefix).
 */
type Orm = NodePgDatabase<OrmSchema>;

const EXECUTION_COLUMNS = {
  executionId: true,
  run: true,
  taskName: true,
  payload: true,
  status: true,
  result: true,
  error: true,
  data: true,
  attempt: true,
  runAt: true,
  timeoutAt: true,
  waitReason: true,
  waitEvent: true,
  parentId: true,
  detached: true,
  rerunOf: true,
  rerunFromStep: true,
  scheduledAt: true,
  createdAt: true,
  startedAt: true,
  completedAt: true,
  leaseOwner: true,
  leaseExpiresAt: true,
  priority: true,
  concurrencyKey: true,
  rateKey: true,
  rateLimitedUntil: true,
  traceContext: true,
  version: true,
} as const;

const STEP_COLUMNS = {
  position: true,
  name: true,
  kind: true,
  status: true,
  result: true,
  error: true,
  attempts: true,
  wakeAt: true,
  startedAt: true,
  completedAt: true,
  traceContext: true,
} as const;

const EVENT_COLUMNS = {
  eventName: true,
  sequence: true,
  payload: true,
  idempotencyKey: true,
  offeredAt: true,
  consumedAt: true,
  traceContext: true,
} as const;

function withDetails(orm: Orm) {
  const { steps, events } = orm._.fullSchema;
  return {
    columns: EXECUTION_COLUMNS,
    with: {
      steps: { columns: STEP_COLUMNS, orderBy: [asc(steps.position)] },
      events: { columns: EVENT_COLUMNS, orderBy: [asc(events.sequence)] },
    },
  };
}

/** Drops NULL columns: an absent field is absent in the records, never `null`. */
function compact<T>(row: object): T {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as T;
}

function toDetails(row: { steps: object[]; events: object[] } & object): ExecutionDetails {
  const { steps, events, ...execution } = row;
  const record = compact<ExecutionRecord>(execution);
  if (record.run === 1) delete record.run;
  return {
    execution: record,
    steps: steps.map((step) => compact<StepRecord>(step)),
    events: events.map((event) => compact<EventRecord>(event)),
  };
}

/** One consistent read of the execution, its steps and its mailbox; `undefined` if unknown. */
export async function getExecution(orm: Orm, executionId: string): Promise<ExecutionDetails | undefined> {
  const { executions } = orm._.fullSchema;
  const row = await orm.query.executions.findFirst({
    ...withDetails(orm),
    where: eq(executions.executionId, executionId),
  });
  return row === undefined ? undefined : toDetails(row);
}

/** Newest first (`createdAt` desc, then id), filtered, after the keyset position, with steps and events. */
export async function listExecutions(orm: Orm, filter: ListFilter): Promise<ExecutionDetails[]> {
  const { executions } = orm._.fullSchema;
  const conditions: SQL[] = [];
  if (filter.status !== undefined) conditions.push(eq(executions.status, filter.status));
  if (filter.taskName !== undefined) conditions.push(eq(executions.taskName, filter.taskName));
  if (filter.parentId !== undefined) conditions.push(eq(executions.parentId, filter.parentId));
  if (filter.version !== undefined) conditions.push(eq(executions.version, filter.version));
  if (filter.createdAfter !== undefined) conditions.push(gte(executions.createdAt, filter.createdAfter));
  if (filter.createdBefore !== undefined) conditions.push(lt(executions.createdAt, filter.createdBefore));
  if (filter.after !== undefined) {
    // Keyset: `created_at <= c` bounds the index range scan; the OR only filters the ties.
    const { createdAt, executionId } = filter.after;
    conditions.push(
      lte(executions.createdAt, createdAt),
      or(lt(executions.createdAt, createdAt), gt(executions.executionId, executionId)) as SQL,
    );
  }
  if (filter.queue !== undefined) {
    // Binary order (`executions_queue_created_idx` is on the key in "C" collation too).
    const { low, high } = queueKeyRange(filter.queue);
    const key = sql`${executions.concurrencyKey} COLLATE "C"`;
    conditions.push(sql`${key} >= ${low} AND ${key} < ${high}`);
  }
  const rows = await orm.query.executions.findMany({
    ...withDetails(orm),
    where: and(...conditions),
    orderBy: [desc(executions.createdAt), asc(executions.executionId)],
    limit: Math.max(0, Math.floor(filter.limit)),
    offset: Math.max(0, Math.floor(filter.offset)),
  });
  return rows.map(toDetails);
}

const purgeSql = statement(
  "purge",
  (n) => `
  WITH doomed AS (
    DELETE FROM ${n.executions} WHERE status = ANY($1::text[]) AND completed_at < $2
    RETURNING execution_id, task_name
  ), holders AS (
    DELETE FROM ${n.debounces} d USING doomed x
    WHERE d.task_name = x.task_name AND d.execution_id = x.execution_id
  ), old_runs AS (
    DELETE FROM ${n.runs} r
    WHERE (r.status = ANY($1::text[]) AND r.completed_at < $2)
      OR r.execution_id IN (SELECT execution_id FROM doomed)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM doomed)::int + (SELECT count(*) FROM old_runs)::int AS purged`,
);

/**
 * Deletes terminal executions (of `statuses`, default all three) completed before `olderThan`,
 * the archived runs that match the same filter, every run of a deleted execution, and the debounce
 * holders that named a deleted execution (the only point they are removed: claims write nothing
 * for them, and a later start overwrites a stale holder).
 */
export async function purge(db: Database, filter: PurgeFilter): Promise<number> {
  const statuses = (filter.statuses ?? ["completed", "failed", "cancelled"]).filter((status) =>
    ["completed", "failed", "cancelled"].includes(status),
  );
  if (statuses.length === 0) return 0;
  const { rows } = await db.run<{ purged: number }>(purgeSql, [statuses, filter.olderThan]);
  return rows[0]?.purged ?? 0;
}

/** An archived run's `details`: the rows as `to_jsonb` wrote them (see `sql/replace-run.ts`). */
interface ArchivedRun {
  execution: ExecutionRow;
  steps: StepRow[];
  events: EventRow[];
}

const runSql = statement(
  "get-run",
  (n) => `SELECT details FROM ${n.runs} WHERE execution_id = $1 AND run = $2`,
);

const runsSql = statement(
  "list-runs",
  (n) => `
  SELECT run, status, task_name, created_at, completed_at FROM ${n.executions} WHERE execution_id = $1
  UNION ALL
  SELECT run, status, task_name, created_at, completed_at FROM ${n.runs} WHERE execution_id = $1
  ORDER BY run DESC`,
);

/** Run `run` of the id: the current execution's details, or an archived run's; `undefined` if unknown. */
export async function getRun(
  db: Database,
  orm: Orm,
  executionId: string,
  run: number,
): Promise<ExecutionDetails | undefined> {
  const current = await getExecution(orm, executionId);
  if (current !== undefined && (current.execution.run ?? 1) === run) return current;
  const archived = (await db.run<{ details: ArchivedRun }>(runSql, [executionId, run])).rows[0]?.details;
  if (archived === undefined) return undefined;
  return {
    execution: { ...toExecutionRecord(archived.execution), run },
    steps: archived.steps.map(toStepRecord),
    events: archived.events.map(toEventRecord),
  };
}

/** Every run of the id, the current one included, newest first; empty for an unknown id. */
export async function listRuns(db: Database, executionId: string): Promise<RunSummary[]> {
  const { rows } = await db.run<{
    run: number;
    status: RunSummary["status"];
    task_name: string;
    created_at: Date;
    completed_at: Date | null;
  }>(runsSql, [executionId]);
  return rows.map((row) => ({
    run: row.run,
    status: row.status,
    taskName: row.task_name,
    createdAt: row.created_at,
    ...(row.completed_at ? { completedAt: row.completed_at } : {}),
  }));
}
