import type { DebounceInput, DebounceOutcome } from "@zart/core/store";
import { and, eq, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection, raw } from "../db/prepared.js";
import { type Orm, toExecutionRecord } from "../db/rows.js";
import { debounces, type ExecutionRow, executions } from "../db/schema.js";
import { insertExecution } from "./create-execution.js";

const statements = preparedPerConnection((orm) => ({
  holder: orm
    .select()
    .from(debounces)
    .where(
      and(eq(debounces.taskName, sql.placeholder("task")), eq(debounces.debounceKey, sql.placeholder("key"))),
    )
    .prepare(),
  // The holder's run, only while it is pending and was never claimed: its input and due time move.
  update: orm
    .update(executions)
    .set({
      payload: raw("payload"),
      priority: raw("priority"),
      concurrencyKey: raw("concurrencyKey"),
      rateKey: raw("rateKey"),
      runAt: sql`CASE WHEN ${sql.placeholder("timeoutMs")} IS NULL THEN ${sql.placeholder("runAt")}
        ELSE min(${sql.placeholder("runAt")}, ${executions.createdAt} + ${sql.placeholder("timeoutMs")}) END`,
    })
    .where(
      and(
        eq(executions.executionId, sql.placeholder("id")),
        sql`coalesce(${executions.run}, 1) = ${sql.placeholder("run")}`,
        eq(executions.status, "pending"),
        sql`${executions.startedAt} IS NULL`,
      ),
    )
    .returning()
    .prepare(),
  count: orm
    .update(debounces)
    .set({ starts: sql`${debounces.starts} + 1` })
    .where(
      and(eq(debounces.taskName, sql.placeholder("task")), eq(debounces.debounceKey, sql.placeholder("key"))),
    )
    .returning({ starts: debounces.starts })
    .prepare(),
  hold: orm
    .insert(debounces)
    .values({
      taskName: raw("task"),
      debounceKey: raw("key"),
      executionId: raw("id"),
      run: raw("run"),
      starts: 1,
    })
    .onConflictDoUpdate({
      target: [debounces.taskName, debounces.debounceKey],
      set: { executionId: sql`excluded.execution_id`, run: sql`excluded.run`, starts: 1 },
    })
    .prepare(),
}));

/**
 * Updates the unclaimed holder of the (task, key) or creates the execution and makes it the
 * holder, in one `BEGIN IMMEDIATE` transaction: SQLite's single write lock serializes racing starts.
 */
export async function debounceExecution(
  ctx: SqliteContext,
  input: DebounceInput,
  now: Date,
): Promise<DebounceOutcome> {
  const outcome = await ctx.write(() => debounce(ctx.orm, input, now));
  if (outcome.starts === 1) ctx.emit("created", outcome.execution.executionId);
  return outcome;
}

function debounce(orm: Orm, { execution, key, timeoutMs }: DebounceInput, now: Date): DebounceOutcome {
  const prepared = statements(orm);
  const task = execution.taskName;
  const holder = prepared.holder.get({ task, key });
  if (holder !== undefined) {
    const [row] = prepared.update.all({
      id: holder.executionId,
      run: holder.run,
      payload: execution.payload,
      priority: execution.priority ?? null,
      concurrencyKey: execution.concurrencyKey ?? null,
      rateKey: execution.rateKey ?? null,
      runAt: execution.runAt.getTime(),
      timeoutMs: timeoutMs ?? null,
    }) as ExecutionRow[];
    if (row !== undefined) {
      const [counted] = prepared.count.all({ task, key });
      return { execution: toExecutionRecord(row), starts: counted?.starts ?? 1 };
    }
  }
  const runAt = timeoutMs === undefined ? execution.runAt : cap(execution.runAt, now, timeoutMs);
  const record = insertExecution(orm, { ...execution, runAt }, now);
  prepared.hold.run({ task, key, id: record.executionId, run: record.run ?? 1 });
  return { execution: record, starts: 1 };
}

function cap(runAt: Date, from: Date, timeoutMs: number): Date {
  return new Date(Math.min(runAt.getTime(), from.getTime() + timeoutMs));
}
