import type { ExecutionStatus, StepKind, StepStatus } from "@zart/core";
import type { EventRecord, ExecutionRecord, SerializedError, StepRecord, WaitReason } from "@zart/core/store";

/**
 * Rows as they come back from a query (`timestamptz` → `Date`) or from `row_to_json`/`json_agg`
 * (`timestamptz` → ISO string), in snake_case. The mappers accept both shapes.
 */
type Timestamp = Date | string | null;

export interface ExecutionRow {
  execution_id: string;
  run: number;
  task_name: string;
  payload: string;
  status: string;
  result: string | null;
  error: SerializedError | null;
  data: string | null;
  attempt: number;
  run_at: Timestamp;
  timeout_at: Timestamp;
  wait_reason: string | null;
  wait_event: string | null;
  parent_id: string | null;
  detached: boolean | null;
  rerun_of: string | null;
  rerun_from_step: string | null;
  scheduled_at: Date | string;
  created_at: Date | string;
  started_at: Timestamp;
  completed_at: Timestamp;
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: Timestamp;
  priority: number | null;
  concurrency_key: string | null;
  rate_key: string | null;
  rate_limited_until: Timestamp;
  trace_context: string | null;
  version: string | null;
}

export interface StepRow {
  execution_id: string;
  position: number;
  name: string;
  kind: string;
  status: string;
  result: string | null;
  error: SerializedError | null;
  attempts: number;
  wake_at: Timestamp;
  started_at: Timestamp;
  completed_at: Timestamp;
  lease_token?: string | null;
  trace_context?: string | null;
}

export interface EventRow {
  event_name: string;
  sequence: number;
  payload: string;
  idempotency_key: string | null;
  offered_at: Date | string;
  consumed_at: Timestamp;
  trace_context?: string | null;
}

function date(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** Sets `record[key]` only when `value` is present: absent columns stay absent, as the contract wants. */
function put<T extends object, K extends keyof T>(record: T, key: K, value: T[K] | null | undefined): void {
  if (value !== null && value !== undefined) record[key] = value;
}

function putDate<T extends object, K extends keyof T>(record: T, key: K, value: Timestamp | undefined): void {
  if (value !== null && value !== undefined) record[key] = date(value) as T[K];
}

/** The public record of an execution row (the fencing token stays inside the store). */
export function toExecutionRecord(row: ExecutionRow): ExecutionRecord {
  const record: ExecutionRecord = {
    executionId: row.execution_id,
    taskName: row.task_name,
    payload: row.payload,
    status: row.status as ExecutionStatus,
    attempt: row.attempt,
    scheduledAt: date(row.scheduled_at),
    createdAt: date(row.created_at),
  };
  put(record, "result", row.result);
  put(record, "error", row.error);
  put(record, "data", row.data);
  putDate(record, "runAt", row.run_at);
  putDate(record, "timeoutAt", row.timeout_at);
  put(record, "waitReason", row.wait_reason as WaitReason | null);
  put(record, "waitEvent", row.wait_event);
  put(record, "parentId", row.parent_id);
  put(record, "detached", row.detached);
  put(record, "rerunOf", row.rerun_of);
  put(record, "rerunFromStep", row.rerun_from_step);
  putDate(record, "startedAt", row.started_at);
  putDate(record, "completedAt", row.completed_at);
  put(record, "leaseOwner", row.lease_owner);
  putDate(record, "leaseExpiresAt", row.lease_expires_at);
  put(record, "priority", row.priority);
  put(record, "concurrencyKey", row.concurrency_key);
  put(record, "rateKey", row.rate_key);
  putDate(record, "rateLimitedUntil", row.rate_limited_until);
  put(record, "version", row.version);
  // Run 1 stays implicit (absent = 1), as in the records of stores without run history.
  if (row.run > 1) record.run = row.run;
  put(record, "traceContext", row.trace_context);
  return record;
}

/** The public record of a step row. */
export function toStepRecord(row: StepRow): StepRecord {
  const record: StepRecord = {
    position: row.position,
    name: row.name,
    kind: row.kind as StepKind,
    status: row.status as StepStatus,
    attempts: row.attempts,
  };
  put(record, "result", row.result);
  put(record, "error", row.error);
  putDate(record, "wakeAt", row.wake_at);
  putDate(record, "startedAt", row.started_at);
  putDate(record, "completedAt", row.completed_at);
  put(record, "traceContext", row.trace_context);
  return record;
}

/** The public record of a mailbox row. */
export function toEventRecord(row: EventRow): EventRecord {
  const record: EventRecord = {
    eventName: row.event_name,
    sequence: row.sequence,
    payload: row.payload,
    offeredAt: date(row.offered_at),
  };
  put(record, "idempotencyKey", row.idempotency_key);
  putDate(record, "consumedAt", row.consumed_at);
  put(record, "traceContext", row.trace_context);
  return record;
}

/** `json_agg` of step rows (NULL when there are none) as records, ordered by position. */
export function toStepRecords(rows: StepRow[] | null): StepRecord[] {
  return (rows ?? []).map(toStepRecord);
}
