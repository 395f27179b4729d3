import type {
  EventRecord,
  ExecutionDetails,
  ExecutionRecord,
  SerializedError,
  StepRecord,
  StepWrite,
} from "@zart/core/store";

/**
 * How records are stored. The execution row is a Redis hash of strings (times in ms, errors as JSON
 * text). Steps and events are JSON objects that Lua may decode and re-encode (cjson), so every
 * value in them is a string or an integer: errors are nested as JSON *text*, user values (results,
 * payloads) are already JSON text, times are integer ms. That makes a Lua round trip lossless
 * (cjson would turn `[]` into `{}` and round long numbers inside arbitrary JSON).
 */

/** A step as stored (the shape Lua reads and writes). `leaseToken` is a child's lease, never returned. */
export interface StoredStep {
  position: number;
  name: string;
  kind: StepRecord["kind"];
  status: StepRecord["status"];
  result?: string;
  error?: string;
  attempts: number;
  wakeAt?: number;
  startedAt?: number;
  completedAt?: number;
  leaseToken?: string;
  traceContext?: string;
}

interface StoredEvent {
  eventName: string;
  sequence: number;
  payload: string;
  idempotencyKey?: string;
  offeredAt: number;
  consumedAt?: number;
  traceContext?: string;
}

/** Unpaired UTF-16 surrogates: JSON.stringify escapes them as `\udXXX`, which Lua's cjson rejects. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A name as Redis stores it: lone surrogates become U+FFFD, as they do in every argument ioredis
 * sends as UTF-8. (User values need no such care: results and payloads are JSON text, nested here
 * as strings, so their escapes are plain ASCII that cjson passes through.)
 */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** The stored JSON of a step write. */
export function encodeStep(step: StepWrite): string {
  const stored: StoredStep = {
    position: step.position,
    name: wellFormed(step.name),
    kind: step.kind,
    status: step.status,
    attempts: step.attempts,
  };
  if (step.result !== undefined) stored.result = step.result;
  if (step.error !== undefined) stored.error = JSON.stringify(step.error);
  if (step.wakeAt !== undefined) stored.wakeAt = step.wakeAt.getTime();
  if (step.startedAt !== undefined) stored.startedAt = step.startedAt.getTime();
  if (step.completedAt !== undefined) stored.completedAt = step.completedAt.getTime();
  if (step.traceContext !== undefined) stored.traceContext = step.traceContext;
  return JSON.stringify(stored);
}

/** A stored error (JSON text) as the record carries it. */
export function encodeError(error: SerializedError): string {
  return JSON.stringify(error);
}

/** Parses a stored step, dropping the lease fields. */
export function parseStep(json: string): StepRecord {
  return fromStoredStep(JSON.parse(json) as StoredStep);
}

/** A stored step already parsed (a claim reply embeds them as JSON), as the record carries it. */
export function fromStoredStep(stored: StoredStep): StepRecord {
  const record: StepRecord = {
    position: stored.position,
    name: stored.name,
    kind: stored.kind,
    status: stored.status,
    attempts: stored.attempts,
  };
  if (stored.result !== undefined) record.result = stored.result;
  if (stored.error !== undefined) record.error = JSON.parse(stored.error) as SerializedError;
  if (stored.wakeAt !== undefined) record.wakeAt = new Date(stored.wakeAt);
  if (stored.startedAt !== undefined) record.startedAt = new Date(stored.startedAt);
  if (stored.completedAt !== undefined) record.completedAt = new Date(stored.completedAt);
  if (stored.traceContext !== undefined) record.traceContext = stored.traceContext;
  return record;
}

/** Parses stored steps, ordered by position. */
export function parseSteps(values: string[]): StepRecord[] {
  return values.map(parseStep).sort((a, b) => a.position - b.position);
}

/** Parses a stored event. */
export function parseEvent(json: string): EventRecord {
  const stored = JSON.parse(json) as StoredEvent;
  const record: EventRecord = {
    eventName: stored.eventName,
    sequence: stored.sequence,
    payload: stored.payload,
    offeredAt: new Date(stored.offeredAt),
  };
  if (stored.idempotencyKey !== undefined) record.idempotencyKey = stored.idempotencyKey;
  if (stored.consumedAt !== undefined) record.consumedAt = new Date(stored.consumedAt);
  if (stored.traceContext !== undefined) record.traceContext = stored.traceContext;
  return record;
}

/** Parses an execution row from `HGETALL`'s flat `[field, value, …]` reply; `undefined` when empty. */
export function parseRow(flat: string[]): ExecutionRecord | undefined {
  if (flat.length === 0) return undefined;
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return parseRowFields(fields);
}

/**
 * Parses an execution row given as an object of its fields (a claim reply's JSON). Each field read
 * by name, not by looping over name lists: a claim parses one row per unit, and reads and writes by
 * a variable key go through V8's slowest (megamorphic keyed) paths (~1.0 → ~0.6 µs a row).
 */
export function parseRowFields(f: Readonly<Record<string, string | undefined>>): ExecutionRecord {
  const record = {
    executionId: f.executionId ?? "",
    taskName: f.taskName ?? "",
    payload: f.payload ?? "",
    status: f.status ?? "",
    attempt: Number(f.attempt ?? ""),
  } as ExecutionRecord;
  const { runAt, timeoutAt, scheduledAt, createdAt, startedAt, completedAt, leaseExpiresAt } = f;
  if (runAt !== undefined) record.runAt = new Date(Number(runAt));
  if (timeoutAt !== undefined) record.timeoutAt = new Date(Number(timeoutAt));
  if (scheduledAt !== undefined) record.scheduledAt = new Date(Number(scheduledAt));
  if (createdAt !== undefined) record.createdAt = new Date(Number(createdAt));
  if (startedAt !== undefined) record.startedAt = new Date(Number(startedAt));
  if (completedAt !== undefined) record.completedAt = new Date(Number(completedAt));
  if (leaseExpiresAt !== undefined) record.leaseExpiresAt = new Date(Number(leaseExpiresAt));
  if (f.rateLimitedUntil !== undefined) record.rateLimitedUntil = new Date(Number(f.rateLimitedUntil));
  const { result, data, waitReason, waitEvent, leaseOwner, parentId, concurrencyKey, rateKey } = f;
  if (result !== undefined) record.result = result;
  if (data !== undefined) record.data = data;
  if (waitReason !== undefined) record.waitReason = waitReason as ExecutionRecord["waitReason"];
  if (waitEvent !== undefined) record.waitEvent = waitEvent;
  if (leaseOwner !== undefined) record.leaseOwner = leaseOwner;
  if (parentId !== undefined) record.parentId = parentId;
  if (concurrencyKey !== undefined) record.concurrencyKey = concurrencyKey;
  if (rateKey !== undefined) record.rateKey = rateKey;
  const { version, rerunOf, rerunFromStep, traceContext, detached, error, priority, run } = f;
  if (version !== undefined) record.version = version;
  if (rerunOf !== undefined) record.rerunOf = rerunOf;
  if (rerunFromStep !== undefined) record.rerunFromStep = rerunFromStep;
  if (traceContext !== undefined) record.traceContext = traceContext;
  if (detached !== undefined) record.detached = detached === "1";
  if (error !== undefined) record.error = JSON.parse(error) as SerializedError;
  if (priority !== undefined) record.priority = Number(priority);
  if (run !== undefined) record.run = Number(run);
  return record;
}

/** The reply of the Lua `details(id)` helper: `[row, steps, events]`. */
export type DetailsReply = [string[], string[], string[]];

/** Parses an archived run: the JSON of a `details(id)` reply (cjson writes an empty list as `{}`). */
export function parseSnapshot(json: string): ExecutionDetails | undefined {
  const [row, steps, events] = (JSON.parse(json) as unknown[]).map((part) =>
    Array.isArray(part) ? part : [],
  );
  return parseDetails([row, steps, events] as DetailsReply);
}

/** Parses one consistent read of an execution; `undefined` when it does not exist. */
export function parseDetails([row, steps, events]: DetailsReply): ExecutionDetails | undefined {
  const execution = parseRow(row);
  if (execution === undefined) return undefined;
  return {
    execution,
    steps: parseSteps(steps),
    events: events.map(parseEvent).sort((a, b) => a.sequence - b.sequence),
  };
}
