import type {
  ExecutionDetails,
  ExecutionPatch,
  ExecutionRecord,
  NewExecution,
  StepRecord,
  StepWrite,
} from "@zart/core/store";
import type { ExecutionRow, MemoryStorage, StepRow } from "./memory-storage.js";

/** Drops properties whose value is `undefined`, so an absent field is absent, as in a database row. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A deep copy of `value`: nothing handed in or out aliases the stored state. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** The row of a new run: `pending`, due at `runAt`. */
export function newExecutionRecord(input: NewExecution, now: Date): ExecutionRecord {
  return {
    executionId: input.executionId,
    taskName: input.taskName,
    ...(input.version === undefined ? {} : { version: input.version }),
    payload: input.payload,
    status: "pending",
    attempt: 0,
    runAt: new Date(input.runAt),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.concurrencyKey === undefined ? {} : { concurrencyKey: input.concurrencyKey }),
    ...(input.rateKey === undefined ? {} : { rateKey: input.rateKey }),
    ...(input.traceContext === undefined ? {} : { traceContext: input.traceContext }),
    scheduledAt: new Date(input.runAt),
    createdAt: new Date(now),
  };
}

/** The stored form of a step write (a copy, with only the fields of a `StepRecord`). */
export function toStepRecord(step: StepWrite): StepRecord {
  const { position, name, kind, status, result, error, attempts, wakeAt, startedAt, completedAt } = step;
  return copy(
    compact({ position, name, kind, status, result, error, attempts, wakeAt, startedAt, completedAt }),
  );
}

/** Inserts or replaces the step row at the record's position (dropping any child lease there). */
export function putStep(storage: MemoryStorage, executionId: string, record: StepRecord): void {
  storage.steps(executionId).set(record.position, { record });
}

/** The step rows of an execution, ordered by position. */
export function sortedSteps(storage: MemoryStorage, executionId: string): StepRow[] {
  return [...storage.steps(executionId).values()].sort((a, b) => a.record.position - b.record.position);
}

/** Copies of the step records of an execution, ordered by position. */
export function stepRecords(storage: MemoryStorage, executionId: string): StepRecord[] {
  return sortedSteps(storage, executionId).map((row) => copy(row.record));
}

/** Copies of the step records at positions `0 … position - 1` (a claimed child's history). */
export function stepRecordsBefore(
  storage: MemoryStorage,
  executionId: string,
  position: number,
): StepRecord[] {
  const rows = storage.steps(executionId);
  const records: StepRecord[] = [];
  for (let p = 0; p < position; p++) {
    const row = rows.get(p);
    if (row) records.push(copy(row.record));
  }
  return records;
}

/** A copy of an execution with its history and mailbox. */
export function detailsOf(storage: MemoryStorage, row: ExecutionRow): ExecutionDetails {
  const id = row.record.executionId;
  return {
    execution: copy(row.record),
    steps: stepRecords(storage, id),
    events: copy(storage.events(id)),
  };
}

/** What a parked execution waits on. */
type WaitReason = NonNullable<ExecutionRecord["waitReason"]>;

/** Applies a worker's checkpoint fields to the execution. */
export function applyPatch(record: ExecutionRecord, patch: ExecutionPatch): void {
  if (patch.data !== undefined) record.data = patch.data;
  if (patch.timeoutAt !== undefined) record.timeoutAt = new Date(patch.timeoutAt);
}

/** Clears the execution's lease: its holder's next fenced write fails. */
export function clearLease(row: ExecutionRow): void {
  delete row.token;
  delete row.record.leaseOwner;
  delete row.record.leaseExpiresAt;
}

/** Parks the execution (`waiting` on `reason` until `runAt`; absent = only a push wakes it) and clears its lease. */
export function park(
  row: ExecutionRow,
  reason: WaitReason,
  runAt: Date | undefined,
  waitEvent?: string,
): void {
  const record = row.record;
  record.status = "waiting";
  record.waitReason = reason;
  if (waitEvent === undefined) delete record.waitEvent;
  else record.waitEvent = waitEvent;
  if (runAt === undefined) delete record.runAt;
  else record.runAt = new Date(runAt);
  clearLease(row);
}

/** Makes the execution due at `now` (status `pending`), forgetting what it waited on. */
export function makeDue(record: ExecutionRecord, now: Date): void {
  record.status = "pending";
  record.runAt = new Date(now);
  delete record.waitReason;
  delete record.waitEvent;
}
