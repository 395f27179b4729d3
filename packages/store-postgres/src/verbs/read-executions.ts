import type {
  EventRecord,
  ExecutionDetails,
  ExecutionRecord,
  ListFilter,
  PurgeFilter,
  StepRecord,
} from "@zart/core/store";
import { and, asc, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { OrmSchema } from "../schema/relations.js";

/**
 * The cold reads (status, list) and purge, written with the drizzle query builder.
 *
 * Consistency: a relational query (`db.query…findMany({ with })`) is ONE statement (steps and
 * events are aggregated in lateral subqueries), so the execution, its steps and its mailbox come
 * from one snapshot. Indexes: `executions_created_idx` / `_status_created_idx` /
 * `_task_created_idx` serve "newest first" with each filter; `executions_completed_idx` serves
 * purge. Purge deletes executions; steps and events go with them (ON DELETE CASCADE).
 */
type Orm = NodePgDatabase<OrmSchema>;

const EXECUTION_COLUMNS = {
  executionId: true,
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
} as const;

const EVENT_COLUMNS = {
  eventName: true,
  sequence: true,
  payload: true,
  idempotencyKey: true,
  offeredAt: true,
  consumedAt: true,
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
  return {
    execution: compact<ExecutionRecord>(execution),
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

/** Newest first (`createdAt` desc, then id), filtered and paginated, with steps and events. */
export async function listExecutions(orm: Orm, filter: ListFilter): Promise<ExecutionDetails[]> {
  const { executions } = orm._.fullSchema;
  const conditions: SQL[] = [];
  if (filter.status !== undefined) conditions.push(eq(executions.status, filter.status));
  if (filter.taskName !== undefined) conditions.push(eq(executions.taskName, filter.taskName));
  if (filter.parentId !== undefined) conditions.push(eq(executions.parentId, filter.parentId));
  if (filter.version !== undefined) conditions.push(eq(executions.version, filter.version));
  const rows = await orm.query.executions.findMany({
    ...withDetails(orm),
    where: and(...conditions),
    orderBy: [desc(executions.createdAt), asc(executions.executionId)],
    limit: Math.max(0, Math.floor(filter.limit)),
    offset: Math.max(0, Math.floor(filter.offset)),
  });
  return rows.map(toDetails);
}

/** Deletes terminal executions (of `statuses`, default all three) completed before `olderThan`. */
export async function purge(orm: Orm, filter: PurgeFilter): Promise<number> {
  const { executions } = orm._.fullSchema;
  const statuses = (filter.statuses ?? ["completed", "failed", "cancelled"]).filter((status) =>
    ["completed", "failed", "cancelled"].includes(status),
  );
  if (statuses.length === 0) return 0;
  const deleted = await orm
    .delete(executions)
    .where(and(inArray(executions.status, statuses), lt(executions.completedAt, filter.olderThan)))
    .returning({ executionId: executions.executionId });
  return deleted.length;
}
