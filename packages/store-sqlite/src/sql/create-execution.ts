import { ExecutionAlreadyExistsError, isTerminal } from "@zart/core";
import type { ExecutionRecord, NewExecution } from "@zart/core/store";
import { eq, sql } from "drizzle-orm";
import { preparedPerConnection, raw } from "../prepared.js";
import { type Orm, toExecutionRecord } from "../rows.js";
import { type ExecutionRow, events, executions, steps } from "../schema.js";

const byId = sql.placeholder("id");

const statements = preparedPerConnection((orm) => ({
  status: orm
    .select({ status: executions.status })
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
    })
    .returning()
    .prepare(),
  deleteSteps: orm.delete(steps).where(eq(steps.executionId, byId)).prepare(),
  deleteEvents: orm.delete(events).where(eq(events.executionId, byId)).prepare(),
  deleteExecution: orm.delete(executions).where(eq(executions.executionId, byId)).prepare(),
}));

/**
 * Creates a pending execution. An id that exists and is not terminal → `ExecutionAlreadyExistsError`;
 * one that is terminal is replaced by the new run, its steps and events deleted, in the caller's
 * `BEGIN IMMEDIATE` transaction (so two concurrent starts of one id cannot both succeed).
 */
export function createExecution(orm: Orm, input: NewExecution, now: Date): ExecutionRecord {
  const prepared = statements(orm);
  const id = input.executionId;
  const existing = prepared.status.get({ id });
  if (existing !== undefined) {
    if (!isTerminal(existing.status)) throw new ExecutionAlreadyExistsError(id);
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
  }) as ExecutionRow;
  return toExecutionRecord(row);
}
