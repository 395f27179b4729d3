import type { DebounceInput, DebounceOutcome, ExecutionRecord } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { copy } from "../storage/rows.js";
import { createExecution } from "./create-execution.js";

/**
 * Updates the unclaimed holder of the (task, key), or creates the execution and makes it the
 * holder. Synchronous inside, so atomic with every other verb. A holder is honoured only while
 * its run is `pending` and was never claimed: claims, cancels and replacements need no hook here.
 */
export function debounceExecution(ctx: MemoryContext, input: DebounceInput, now: Date): DebounceOutcome {
  const { execution, key, timeoutMs } = input;
  const slot = `${execution.taskName}\n${key}`;
  const holder = ctx.storage.debounces.get(slot);
  const row = holder && ctx.storage.execution(holder.executionId);
  if (holder && row && (row.record.run ?? 1) === holder.run && isUnclaimed(row.record)) {
    const record = row.record;
    record.payload = execution.payload;
    record.runAt = capped(execution.runAt, record.createdAt, timeoutMs);
    setOptional(record, "priority", execution.priority);
    setOptional(record, "concurrencyKey", execution.concurrencyKey);
    setOptional(record, "rateKey", execution.rateKey);
    holder.starts += 1;
    return { execution: copy(record), starts: holder.starts };
  }
  const runAt = capped(execution.runAt, now, timeoutMs);
  const created = createExecution(ctx, { ...execution, runAt }, now);
  ctx.storage.debounces.set(slot, { executionId: created.executionId, run: created.run ?? 1, starts: 1 });
  return { execution: created, starts: 1 };
}

function isUnclaimed(record: ExecutionRecord): boolean {
  return record.status === "pending" && record.startedAt === undefined;
}

/** `runAt`, or `from + timeoutMs` when that is earlier. */
export function capped(runAt: Date, from: Date, timeoutMs: number | undefined): Date {
  if (timeoutMs === undefined) return runAt;
  return new Date(Math.min(runAt.getTime(), from.getTime() + timeoutMs));
}

function setOptional<K extends "priority" | "concurrencyKey" | "rateKey">(
  record: ExecutionRecord,
  field: K,
  value: ExecutionRecord[K],
): void {
  if (value === undefined) delete record[field];
  else record[field] = value;
}
