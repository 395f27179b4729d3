import type { StepStatus } from "@zart/core";
import type { EventRecord, ExecutionPatch, ExecutionRecord, StepRecord } from "@zart/core/store";
import type Database from "better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { EventRow, ExecutionInsert, ExecutionRow, StepRow } from "./schema.js";

/** The drizzle handle every operation runs on (synchronous, one connection), with its driver handle. */
export type Orm = BetterSQLite3Database & { $client: Database.Database };

/** Step statuses after which a parallel child no longer runs. */
export const SETTLED_STATUSES: StepStatus[] = ["completed", "failed", "cancelled"];

/** Drops the properties whose value is `null` or `undefined`: an absent column is an absent field. */
function present<T extends object>(value: { [K in keyof T]: T[K] | null }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

/** The public record of an execution row (the fencing token stays inside the store). */
export function toExecutionRecord(row: ExecutionRow): ExecutionRecord {
  const { leaseToken: _token, ...record } = row;
  return present<ExecutionRecord>(record);
}

/** The public record of a step row (a child's lease and due time stay inside the store). */
export function toStepRecord(row: StepRow): StepRecord {
  const { executionId: _id, leaseToken: _token, leaseExpiresAt: _expiry, dueAt: _due, ...record } = row;
  return present<StepRecord>(record);
}

/** The public record of a mailbox row. */
export function toEventRecord(row: EventRow): EventRecord {
  const { executionId: _id, ...record } = row;
  return present<EventRecord>(record);
}

/** The execution columns a worker's checkpoint patch sets (only those it carries). */
export function patchValues(patch: ExecutionPatch): Partial<ExecutionInsert> {
  const values: Partial<ExecutionInsert> = {};
  if (patch.data !== undefined) values.data = patch.data;
  if (patch.timeoutAt !== undefined) values.timeoutAt = patch.timeoutAt;
  return values;
}

/** The columns that clear an execution's lease: its holder's next fenced write fails. */
export const NO_LEASE = { leaseOwner: null, leaseToken: null, leaseExpiresAt: null } as const;

/** The columns of a terminal execution: it waits on nothing and nobody holds it. */
export function terminal(status: "completed" | "failed" | "cancelled", now: Date) {
  return { status, completedAt: now, waitReason: null, waitEvent: null, ...NO_LEASE };
}

/**
 * Splits `items` into runs of at most `size`: a statement binding one variable (or a few) per item
 * stays far below SQLite's limit on bound variables (32766) however many items there are.
 */
export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
