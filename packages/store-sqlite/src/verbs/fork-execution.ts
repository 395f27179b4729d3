import { ExecutionAlreadyExistsError, ExecutionNotFoundError, StepNotFoundError } from "@zart/core";
import { type ExecutionRecord, type ForkExecutionInput, SETTLED_STEP_STATUSES } from "@zart/core/store";
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { toExecutionRecord } from "../db/rows.js";
import { executions, steps } from "../db/schema.js";

/**
 * The operator's rerun, in one `BEGIN IMMEDIATE` transaction (so of racing forks to one id
 * exactly one finds it free): every check runs before the first write, then the new row and a copy
 * of the source's settled steps before `fromStep` are inserted.
 */
export async function forkExecution(
  ctx: SqliteContext,
  input: ForkExecutionInput,
  now: Date,
): Promise<ExecutionRecord> {
  const { orm } = ctx;
  const record = await ctx.write(() => {
    const source = orm.select().from(executions).where(eq(executions.executionId, input.sourceId)).get();
    if (source === undefined) throw new ExecutionNotFoundError(input.sourceId);
    const from = orm
      .select({ position: steps.position })
      .from(steps)
      .where(and(eq(steps.executionId, input.sourceId), eq(steps.name, input.fromStep)))
      .orderBy(asc(steps.position))
      .get();
    if (from === undefined) throw new StepNotFoundError(input.sourceId, input.fromStep);
    const taken = orm
      .select({ id: executions.executionId })
      .from(executions)
      .where(eq(executions.executionId, input.executionId))
      .get();
    if (taken !== undefined) throw new ExecutionAlreadyExistsError(input.executionId);
    const created = orm
      .insert(executions)
      .values({
        executionId: input.executionId,
        taskName: source.taskName,
        version: source.version,
        payload: input.payload ?? source.payload,
        status: "pending",
        attempt: 0,
        runAt: now,
        priority: source.priority,
        concurrencyKey: input.concurrencyKey ?? source.concurrencyKey,
        rateKey: input.rateKey ?? source.rateKey,
        rerunOf: input.sourceId,
        rerunFromStep: input.fromStep,
        traceContext: input.traceContext ?? null,
        scheduledAt: now,
        createdAt: now,
      })
      .returning()
      .get();
    const prefix = orm
      .select()
      .from(steps)
      .where(
        and(
          eq(steps.executionId, input.sourceId),
          lt(steps.position, from.position),
          inArray(steps.status, [...SETTLED_STEP_STATUSES]),
        ),
      )
      .all();
    for (const step of prefix) {
      orm
        .insert(steps)
        .values({
          ...step,
          executionId: input.executionId,
          leaseToken: null,
          leaseExpiresAt: null,
          dueAt: null,
        })
        .run();
    }
    return toExecutionRecord(created);
  });
  ctx.emit("created", input.executionId);
  return record;
}
