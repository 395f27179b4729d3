import { ExecutionAlreadyExistsError, isTerminal } from "@zart/core";
import type { ExecutionDetails, ExecutionRecord, NewExecution, WakeReason } from "@zart/core/store";
import { eq, sql } from "drizzle-orm";
import { afterTransaction, checkCallerTransaction } from "../db/after-transaction.js";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection, raw } from "../db/prepared.js";
import { type Orm, toExecutionRecord } from "../db/rows.js";
import { toRunRow } from "../db/runs.js";
import { type ExecutionRow, events, executions, runs, steps } from "../db/schema.js";
import { executionDetails, getExecution } from "./read-executions.js";

const byId = sql.placeholder("id");

const statements = preparedPerConnection((orm) => ({
  existing: orm
    .select({ status: executions.status, run: executions.run })
    .from(executions)
    .where(eq(executions.executionId, byId))
    .prepare(),
  insert: orm
    .insert(executions)
    .values({
      executionId: raw("id"),
      taskName: raw("taskName"),
      payload: raw("payload"),
      status: "pending",
      attempt: 0,
      runAt: raw("runAt"),
      scheduledAt: raw("runAt"),
      createdAt: raw("now"),
      priority: raw("priority"),
      concurrencyKey: raw("concurrencyKey"),
      rateKey: raw("rateKey"),
      traceContext: raw("traceContext"),
      version: raw("version"),
      run: raw("run"),
    })
    .returning()
    .prepare(),
  deleteSteps: orm.delete(steps).where(eq(steps.executionId, byId)).prepare(),
  deleteEvents: orm.delete(events).where(eq(events.executionId, byId)).prepare(),
  deleteExecution: orm.delete(executions).where(eq(executions.executionId, byId)).prepare(),
}));

/** Creates a pending execution, replacing a terminal one of the same id with its steps and events. */
export async function createExecution(
  ctx: SqliteContext,
  input: NewExecution,
  now: Date,
): Promise<ExecutionRecord> {
  const record = await ctx.write(() => insertExecution(ctx.orm, input, now));
  ctx.emit("created", input.executionId);
  return record;
}

/**
 * Creates the execution inside the caller's open transaction on this store's own handle (a
 * savepoint in it). The `created` wake-up is pushed only once that transaction is over, and only
 * if the execution it created is there (committed).
 */
export async function createExecutionInTransaction(
  ctx: SqliteContext,
  transaction: unknown,
  input: NewExecution,
  now: Date,
): Promise<ExecutionRecord> {
  checkCallerTransaction(ctx.database, transaction);
  const record = ctx.writeNow(() => insertExecution(ctx.orm, input, now));
  afterCommit(
    ctx,
    input.executionId,
    (details) => details.execution.createdAt.getTime() === record.createdAt.getTime(),
    ["created"],
  );
  return record;
}

/**
 * Once the caller's transaction is over, emits the wake-ups of `reasons` for the execution if
 * `committed` holds for it (the write is there: committed, not rolled back).
 */
export function afterCommit(
  ctx: SqliteContext,
  executionId: string,
  committed: (details: ExecutionDetails) => boolean,
  reasons: WakeReason[],
): void {
  afterTransaction(ctx.database, () => {
    getExecution(ctx, executionId).then(
      (details) => {
        if (details !== undefined && committed(details)) {
          for (const reason of reasons) ctx.emit(reason, executionId);
        }
      },
      () => undefined, // closed meanwhile: the workers' polling is the fallback
    );
  });
}

/**
 * Creates a pending execution. An id that exists and is not terminal → `ExecutionAlreadyExistsError`;
 * one that is terminal is archived as its run (`zart_runs`) and replaced by the next run, its steps
 * and events deleted, all in the caller's `BEGIN IMMEDIATE` transaction (so of two concurrent
 * starts of one id exactly one archives and succeeds).
 */
export function insertExecution(orm: Orm, input: NewExecution, now: Date): ExecutionRecord {
  const prepared = statements(orm);
  const id = input.executionId;
  const existing = prepared.existing.get({ id });
  if (existing !== undefined) {
    if (!isTerminal(existing.status)) throw new ExecutionAlreadyExistsError(id);
    orm
      .insert(runs)
      .values(toRunRow(executionDetails(orm, id) as ExecutionDetails))
      .run();
    prepared.deleteSteps.run({ id });
    prepared.deleteEvents.run({ id });
    prepared.deleteExecution.run({ id });
  }
  const row = prepared.insert.get({
    id,
    taskName: input.taskName,
    payload: input.payload,
    runAt: input.runAt.getTime(),
    now: now.getTime(),
    priority: input.priority ?? null,
    concurrencyKey: input.concurrencyKey ?? null,
    rateKey: input.rateKey ?? null,
    traceContext: input.traceContext ?? null,
    version: input.version ?? null,
    run: existing === undefined ? null : (existing.run ?? 1) + 1,
  }) as ExecutionRow;
  return toExecutionRecord(row);
}
