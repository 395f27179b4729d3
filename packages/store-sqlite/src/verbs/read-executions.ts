import { type ExecutionStatus, TERMINAL_STATUSES } from "@zart/core";
import {
  type ExecutionDetails,
  type ListFilter,
  type PurgeFilter,
  queueKeyRange,
  type RunSummary,
} from "@zart/core/store";
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection } from "../db/prepared.js";
import { chunked, type Orm, toEventRecord, toExecutionRecord, toStepRecord } from "../db/rows.js";
import { toRunDetails, toRunSummary } from "../db/runs.js";
import {
  debounces,
  type EventRow,
  type ExecutionRow,
  events,
  executions,
  runs,
  type StepRow,
  steps,
} from "../db/schema.js";

/**
 * The read verbs. Each runs in one deferred (read) transaction: in WAL mode it reads one snapshot,
 * so an execution, its steps, its mailbox and its archived runs are consistent with each other.
 */

/** The executions with their steps and mailboxes (two queries per 500 executions). */
function withDetails(orm: Orm, rows: ExecutionRow[]): ExecutionDetails[] {
  const stepsOf = new Map<string, StepRow[]>();
  const eventsOf = new Map<string, EventRow[]>();
  for (const ids of chunked(rows.map((row) => row.executionId))) {
    const stepRows = orm
      .select()
      .from(steps)
      .where(inArray(steps.executionId, ids))
      .orderBy(asc(steps.executionId), asc(steps.position))
      .all();
    const eventRows = orm
      .select()
      .from(events)
      .where(inArray(events.executionId, ids))
      .orderBy(asc(events.executionId), asc(events.sequence))
      .all();
    groupInto(stepsOf, stepRows);
    groupInto(eventsOf, eventRows);
  }
  return rows.map((row) => ({
    execution: toExecutionRecord(row),
    steps: (stepsOf.get(row.executionId) ?? []).map(toStepRecord),
    events: (eventsOf.get(row.executionId) ?? []).map(toEventRecord),
  }));
}

/** Appends each row to its execution's group, keeping the rows' order. */
function groupInto<T extends StepRow | EventRow>(groups: Map<string, T[]>, rows: T[]): void {
  for (const row of rows) {
    const group = groups.get(row.executionId);
    if (group === undefined) groups.set(row.executionId, [row]);
    else group.push(row);
  }
}

const statements = preparedPerConnection((orm) => ({
  // `status()` and `wait()` poll this: prepared.
  execution: orm
    .select()
    .from(executions)
    .where(eq(executions.executionId, sql.placeholder("id")))
    .prepare(),
  steps: orm
    .select()
    .from(steps)
    .where(eq(steps.executionId, sql.placeholder("id")))
    .orderBy(asc(steps.position))
    .prepare(),
  events: orm
    .select()
    .from(events)
    .where(eq(events.executionId, sql.placeholder("id")))
    .orderBy(asc(events.sequence))
    .prepare(),
}));

/** The execution with its steps and mailbox; `undefined` if unknown. */
export async function getExecution(
  ctx: SqliteContext,
  executionId: string,
): Promise<ExecutionDetails | undefined> {
  return ctx.read(() => executionDetails(ctx.orm, executionId));
}

/** `getExecution` inside the caller's transaction. */
export function executionDetails(orm: Orm, executionId: string): ExecutionDetails | undefined {
  const prepared = statements(orm);
  const row = prepared.execution.get({ id: executionId });
  if (row === undefined) return undefined;
  return {
    execution: toExecutionRecord(row),
    steps: prepared.steps.all({ id: executionId }).map(toStepRecord),
    events: prepared.events.all({ id: executionId }).map(toEventRecord),
  };
}

/** Keyset: rows after the position; `created_at <= c` bounds the index range, the OR filters ties. */
function afterPosition({ after }: ListFilter): SQL | undefined {
  if (after === undefined) return undefined;
  return and(
    lte(executions.createdAt, after.createdAt),
    or(lt(executions.createdAt, after.createdAt), gt(executions.executionId, after.executionId)),
  );
}

/** A queue's executions: a key range (`zart_executions_concurrency_idx`). */
function inQueueRange(queue: string): SQL | undefined {
  const { low, high } = queueKeyRange(queue);
  return and(gte(executions.concurrencyKey, low), lt(executions.concurrencyKey, high));
}

/** Newest first (`createdAt` desc, then `executionId` asc), filtered, then paginated. */
export async function listExecutions(ctx: SqliteContext, filter: ListFilter): Promise<ExecutionDetails[]> {
  const { orm } = ctx;
  return ctx.read(() => {
    const rows = orm
      .select()
      .from(executions)
      .where(
        and(
          filter.status === undefined ? undefined : eq(executions.status, filter.status),
          filter.taskName === undefined ? undefined : eq(executions.taskName, filter.taskName),
          filter.parentId === undefined ? undefined : eq(executions.parentId, filter.parentId),
          filter.version === undefined ? undefined : eq(executions.version, filter.version),
          filter.createdAfter === undefined ? undefined : gte(executions.createdAt, filter.createdAfter),
          filter.createdBefore === undefined ? undefined : lt(executions.createdAt, filter.createdBefore),
          afterPosition(filter),
          filter.queue === undefined ? undefined : inQueueRange(filter.queue),
        ),
      )
      .orderBy(desc(executions.createdAt), asc(executions.executionId))
      .limit(Math.max(0, filter.limit))
      .offset(Math.max(0, filter.offset))
      .all();
    return withDetails(orm, rows);
  });
}

/** Run `run` of the id, archived or current, from one snapshot; `undefined` when unknown. */
export async function getRun(
  ctx: SqliteContext,
  executionId: string,
  run: number,
): Promise<ExecutionDetails | undefined> {
  const { orm } = ctx;
  return ctx.read(() => {
    const current = executionDetails(orm, executionId);
    if (current !== undefined && (current.execution.run ?? 1) === run) return current;
    const archived = orm
      .select({ details: runs.details })
      .from(runs)
      .where(and(eq(runs.executionId, executionId), eq(runs.run, run)))
      .get();
    return archived && toRunDetails(archived);
  });
}

/** Every run of the id, the current one included, newest first; empty for an unknown id. */
export async function listRuns(ctx: SqliteContext, executionId: string): Promise<RunSummary[]> {
  const { orm } = ctx;
  return ctx.read(() => {
    const current = statements(orm).execution.get({ id: executionId });
    const archived = orm
      .select({
        run: runs.run,
        status: runs.status,
        taskName: runs.taskName,
        createdAt: runs.createdAt,
        completedAt: runs.completedAt,
      })
      .from(runs)
      .where(eq(runs.executionId, executionId))
      .orderBy(desc(runs.run))
      .all();
    return [...(current ? [current] : []), ...archived].map(toRunSummary);
  });
}

/**
 * Deletes the archived runs (of `statuses`, default all three) completed before `olderThan`, and
 * the terminal executions that match with their steps, events and every archived run; returns how
 * many runs went (an execution counts as its current run), and the debounce holders that named a
 * deleted execution (the only point they are removed). Runs in one `BEGIN IMMEDIATE`
 * transaction, so the deletes agree on which executions match.
 */
export async function purge(ctx: SqliteContext, filter: PurgeFilter): Promise<number> {
  const { orm } = ctx;
  return ctx.write(() => {
    const statuses = (filter.statuses ?? TERMINAL_STATUSES).filter((status: ExecutionStatus) =>
      TERMINAL_STATUSES.includes(status),
    );
    if (statuses.length === 0) return 0;
    const oldRuns = and(inArray(runs.status, statuses), lt(runs.completedAt, filter.olderThan));
    let purged = orm.delete(runs).where(oldRuns).run().changes;
    const doomed = and(inArray(executions.status, statuses), lt(executions.completedAt, filter.olderThan));
    const ids = orm.select({ id: executions.executionId }).from(executions).where(doomed);
    purged += orm.delete(runs).where(inArray(runs.executionId, ids)).run().changes;
    orm.delete(steps).where(inArray(steps.executionId, ids)).run();
    orm.delete(events).where(inArray(events.executionId, ids)).run();
    // The debounce holders naming a purged execution (by the primary key's task prefix).
    const holders = orm
      .select({ task: executions.taskName, id: executions.executionId })
      .from(executions)
      .where(doomed);
    orm.delete(debounces).where(sql`(${debounces.taskName}, ${debounces.executionId}) IN ${holders}`).run();
    return purged + orm.delete(executions).where(doomed).run().changes;
  });
}
