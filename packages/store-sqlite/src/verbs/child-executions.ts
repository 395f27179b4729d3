import {
  type AwaitChildrenInput,
  type ChildWaitOutcome,
  ExecutionNotFoundError,
  type ExecutionPatch,
  isTerminal,
  type Lease,
  type StartChildInput,
  type StepRecord,
  TERMINAL_STATUSES,
} from "@zart/core/store";
import { and, eq, inArray, isNull, notInArray, or, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { fence, updateFenced } from "../db/fencing.js";
import { preparedPerConnection } from "../db/prepared.js";
import { NO_LEASE, type Orm, toExecutionRecord, toStepRecord } from "../db/rows.js";
import { type ExecutionRow, executions, steps } from "../db/schema.js";
import { insertExecution } from "./create-execution.js";
import { cancelUnsettledChildren } from "./dispatch-children.js";
import { upsertStep } from "./save-step.js";

/*
 * Child executions on SQLite. Every verb runs in one `BEGIN IMMEDIATE` transaction, which
 * holds the database's single write lock: a child settling and its parent parking are serialized,
 * so a settle either sees the parent parked (and wakes it) or the parent sees the child terminal.
 */

const statements = preparedPerConnection((orm) => ({
  // One statement on every completion: a no-op unless the execution has a parent parked on children.
  wakeParent: orm
    .update(executions)
    .set({ status: "pending", runAt: sql`${sql.placeholder("now")}`, waitReason: null, waitEvent: null })
    .where(
      and(
        eq(
          executions.executionId,
          sql`(SELECT "parent_id" FROM "zart_executions" WHERE "execution_id" = ${sql.placeholder("id")})`,
        ),
        eq(executions.status, "waiting"),
        eq(executions.waitReason, "child-executions"),
      ),
    )
    .returning({ executionId: executions.executionId })
    .prepare(),
}));

/** Fenced: creates the child and records the parent's `child` step, once per position. */
export async function startChildExecution(
  ctx: SqliteContext,
  lease: Lease,
  input: StartChildInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<StepRecord> {
  const { orm } = ctx;
  const { step, created } = await ctx.write(() => {
    fence(orm, lease, patch);
    const recorded = orm
      .select()
      .from(steps)
      .where(and(eq(steps.executionId, lease.executionId), eq(steps.position, input.position)))
      .get();
    if (recorded !== undefined) return { step: toStepRecord(recorded), created: false };
    const { childId: executionId, taskName, payload, traceContext, version } = input;
    insertExecution(
      orm,
      {
        executionId,
        taskName,
        payload,
        runAt: now,
        ...(traceContext ? { traceContext } : {}),
        ...(version ? { version } : {}),
      },
      now,
    );
    orm
      .update(executions)
      .set({ parentId: lease.executionId, detached: input.detached })
      .where(eq(executions.executionId, executionId))
      .run();
    const step: StepRecord = {
      position: input.position,
      name: input.stepName,
      kind: "child",
      status: "completed",
      result: JSON.stringify(executionId),
      attempts: 1,
      startedAt: now,
      completedAt: now,
    };
    upsertStep(orm, lease.executionId, step);
    return { step, created: true };
  });
  if (created) ctx.emit("created", input.childId);
  return step;
}

/** Fenced: the children's rows when all are terminal; otherwise parks the parent on them. */
export async function awaitChildExecutions(
  ctx: SqliteContext,
  lease: Lease,
  input: AwaitChildrenInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<ChildWaitOutcome> {
  const { orm } = ctx;
  return ctx.write(() => {
    fence(orm, lease, patch);
    const rows = orm
      .select()
      .from(executions)
      .where(inArray(executions.executionId, [...input.childIds]))
      .all();
    const byId = new Map(rows.map((row) => [row.executionId, row]));
    const children = input.childIds.map((id) => {
      const row = byId.get(id);
      if (row === undefined) throw new ExecutionNotFoundError(id);
      return row;
    });
    if (children.every((row) => isTerminal(row.status))) {
      return { outcome: "settled", children: children.map((row: ExecutionRow) => toExecutionRecord(row)) };
    }
    upsertStep(orm, lease.executionId, {
      position: input.position,
      name: input.stepName,
      kind: "child",
      status: "waiting",
      attempts: 1,
      startedAt: now,
    });
    updateFenced(
      orm,
      lease,
      {},
      {
        status: "waiting",
        waitReason: "child-executions",
        waitEvent: null,
        runAt: input.wakeAt ?? null,
        ...NO_LEASE,
      },
    );
    return { outcome: "suspended" };
  });
}

/** `executionId` just became terminal: wakes its parent if it is parked on child executions. */
export function wakeParent(orm: Orm, executionId: string, now: Date): string | undefined {
  return statements(orm).wakeParent.get({ id: executionId, now: now.getTime() })?.executionId;
}

/**
 * Cancels the non-terminal, non-detached descendants of `executionId` (level by level) with their
 * parallel children. Returns the ids cancelled.
 */
export function cancelChildExecutions(orm: Orm, executionId: string, now: Date): string[] {
  const cancelled: string[] = [];
  for (let level = [executionId]; level.length > 0; ) {
    level = orm
      .update(executions)
      .set({ status: "cancelled", completedAt: now, waitReason: null, waitEvent: null, ...NO_LEASE })
      .where(
        and(
          inArray(executions.parentId, level),
          or(isNull(executions.detached), eq(executions.detached, false)),
          notInArray(executions.status, [...TERMINAL_STATUSES]),
        ),
      )
      .returning({ executionId: executions.executionId })
      .all()
      .map((row) => row.executionId);
    for (const id of level) cancelUnsettledChildren(orm, id, now);
    cancelled.push(...level);
  }
  return cancelled;
}
