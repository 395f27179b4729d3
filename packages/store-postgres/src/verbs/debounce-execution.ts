import { ExecutionAlreadyExistsError } from "@zart/core";
import type { DebounceInput, DebounceOutcome } from "@zart/core/store";
import type pg from "pg";
import type { Database, Statement } from "../db/database.js";
import { type ExecutionRow, toExecutionRecord } from "../db/rows.js";
import { createParams, createSql } from "../sql/create-statement.js";
import {
  countDebounceSql,
  holdDebounceSql,
  setHolderSql,
  touchHolderSql,
} from "../sql/debounce-statements.js";
import { type StartRow, startRun } from "../sql/replace-run.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

/**
 * Updates the unclaimed holder of the (task, key) or creates the execution and makes it the
 * holder, in one transaction (see `debounce-statements.ts` for the locking).
 */
export async function debounceExecution(
  db: Database,
  wakeUps: WakeUps,
  input: DebounceInput,
  now: Date,
): Promise<DebounceOutcome> {
  const { execution, key, timeoutMs } = input;
  const slot = [execution.taskName, key];
  const outcome = await db.transaction(async (client) => {
    const query = async <R extends pg.QueryResultRow>(stmt: Statement, values: unknown[]) =>
      (await client.query<R>(db.config(stmt, values))).rows;
    const [holder] = await query<{ execution_id: string; run: number }>(holdDebounceSql, slot);
    const [touched] = await query<ExecutionRow>(touchHolderSql, [
      holder?.execution_id,
      holder?.run,
      execution.payload,
      execution.priority ?? null,
      execution.concurrencyKey ?? null,
      execution.runAt,
      timeoutMs ?? null,
      execution.rateKey ?? null,
    ]);
    if (touched !== undefined) {
      const [counted] = await query<{ starts: number }>(countDebounceSql, slot);
      return { execution: toExecutionRecord(touched), starts: counted?.starts ?? 1 };
    }
    const runAt =
      timeoutMs === undefined
        ? execution.runAt
        : new Date(Math.min(execution.runAt.getTime(), now.getTime() + timeoutMs));
    const params = createParams(
      { ...execution, runAt },
      now,
      wakeUps.notice("created", execution.executionId),
    );
    const row = await startRun(
      execution.executionId,
      async () => (await query<ExecutionRow & StartRow>(createSql, params))[0],
    );
    if (row === undefined) throw new ExecutionAlreadyExistsError(execution.executionId);
    const record = toExecutionRecord(row);
    await query(setHolderSql, [...slot, record.executionId, record.run ?? 1]);
    return { execution: record, starts: 1 };
  });
  if (outcome.starts === 1) wakeUps.emit("created", execution.executionId);
  return outcome;
}
