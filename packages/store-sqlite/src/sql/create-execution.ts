import { ExecutionAlreadyExistsError, type ExecutionRecord, isTerminal, type NewExecution } from "@zart/core";
import { eq } from "drizzle-orm";
import { type Orm, toExecutionRecord } from "../rows.js";
import { events, executions, steps } from "../schema.js";

/**
 * Creates a pending execution. An id that exists and is not terminal → `ExecutionAlreadyExistsError`;
 * one that is terminal is replaced by the new run, its steps and events deleted, in the caller's
 * `BEGIN IMMEDIATE` transaction (so two concurrent starts of one id cannot both succeed).
 */
export function createExecution(orm: Orm, input: NewExecution, now: Date): ExecutionRecord {
  const { executionId } = input;
  const existing = orm
    .select({ status: executions.status })
    .from(executions)
    .where(eq(executions.executionId, executionId))
    .get();
  if (existing !== undefined) {
    if (!isTerminal(existing.status)) throw new ExecutionAlreadyExistsError(executionId);
    orm.delete(steps).where(eq(steps.executionId, executionId)).run();
    orm.delete(events).where(eq(events.executionId, executionId)).run();
    orm.delete(executions).where(eq(executions.executionId, executionId)).run();
  }
  const row = orm
    .insert(executions)
    .values({
      executionId,
      taskName: input.taskName,
      payload: input.payload,
      status: "pending",
      attempt: 0,
      runAt: input.runAt,
      scheduledAt: input.runAt,
      createdAt: now,
    })
    .returning()
    .get();
  return toExecutionRecord(row);
}
