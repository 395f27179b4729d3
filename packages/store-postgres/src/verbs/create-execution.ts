import { ExecutionAlreadyExistsError } from "@zart/core";
import type { ExecutionRecord, NewExecution } from "@zart/core/store";
import { inCallerTransaction } from "../db/caller-transaction.js";
import type { Database } from "../db/database.js";
import { type ExecutionRow, toExecutionRecord } from "../db/rows.js";
import { createParams, createSql } from "../sql/create-statement.js";
import { type StartRow, startRun } from "../sql/replace-run.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/** Creates (or replaces a terminal) execution in one statement (see `createSql`). */
export async function createExecution(
  db: Database,
  wakeUps: WakeUps,
  input: NewExecution,
  now: Date,
): Promise<ExecutionRecord> {
  const notify = wakeUps.notice("created", input.executionId);
  const params = createParams(input, now, notify);
  const row = await startRun(
    input.executionId,
    async () => (await db.run<ExecutionRow & StartRow>(createSql, params)).rows[0],
  );
  if (row === undefined) throw new ExecutionAlreadyExistsError(input.executionId);
  wakeUps.emit("created", input.executionId);
  return toExecutionRecord(row);
}

/**
 * `createExecution` through the caller's `pg` client inside `BEGIN`: the same statement, so its
 * `pg_notify` is delivered only if the caller commits. It names no sender, so this instance's
 * listener delivers it too (the usual in-process push cannot know about the commit).
 */
export async function createExecutionInTransaction(
  db: Database,
  wakeUps: WakeUps,
  transaction: unknown,
  input: NewExecution,
  now: Date,
): Promise<ExecutionRecord> {
  const notify = wakeUps.committed("created", input.executionId);
  const params = createParams(input, now, notify);
  const row = await inCallerTransaction(transaction, db.names, (client) =>
    startRun(
      input.executionId,
      async () => (await client.query<ExecutionRow & StartRow>(createSql.text(db.names), params)).rows[0],
    ),
  );
  if (row === undefined) throw new ExecutionAlreadyExistsError(input.executionId);
  return toExecutionRecord(row);
}
