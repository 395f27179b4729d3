import type {
  DebounceOptions,
  DurableExecutionStatus,
  Duration,
  ErrorInfo,
  EventInfo,
  RunInfo,
  StartOptions,
  StepStatusInfo,
} from "@zart/core";
import { toWirePauseRule } from "./pause-rule-wire.js";
import { toWirePendingReason } from "./queue-wire.js";
import type {
  StartBody,
  WireErrorInfo,
  WireEvent,
  WireExecution,
  WireRunSummary,
  WireStep,
} from "./schemas.js";
import { toWireLease } from "./worker-wire.js";

export { toWireQueue } from "./queue-wire.js";

/**
 * The snake_case JSON shape of a {@link DurableExecutionStatus}, as the HTTP API and `zart --json`
 * print it: camelCase keys become snake_case, dates become ISO-8601 strings, absent fields stay
 * absent (a `null` result stays `null`).
 */
/** A start body's options (`run_at`, `debounce`); the core validates the durations. */
export function toStartOptions(body: Pick<StartBody, "run_at" | "debounce">): StartOptions {
  const options: StartOptions = {};
  if (body.run_at !== undefined) options.runAt = new Date(body.run_at);
  if (body.debounce !== undefined) {
    const { key, period, timeout } = body.debounce;
    const debounce: DebounceOptions = { key, period: period as Duration };
    if (timeout !== undefined) debounce.timeout = timeout as Duration;
    options.debounce = debounce;
  }
  return options;
}

export function toWireExecution(status: DurableExecutionStatus): WireExecution {
  const wire: WireExecution = {
    execution_id: status.executionId,
    run: status.run,
    name: status.name,
    ...(status.version === undefined ? {} : { version: status.version }),
    status: status.status,
    payload: status.payload,
    attempt: status.attempt,
    scheduled_at: status.scheduledAt.toISOString(),
    created_at: status.createdAt.toISOString(),
    steps: status.steps.map(toWireStep),
    events: status.events.map(toWireEvent),
  };
  if (status.result !== undefined) wire.result = status.result;
  if (status.error) wire.error = toWireErrorInfo(status.error);
  if (status.data !== undefined) wire.data = status.data;
  if (status.startedAt) wire.started_at = status.startedAt.toISOString();
  if (status.completedAt) wire.completed_at = status.completedAt.toISOString();
  if (status.wakeAt) wire.wake_at = status.wakeAt.toISOString();
  if (status.parentId !== undefined) wire.parent_id = status.parentId;
  if (status.rerunOf !== undefined) {
    wire.rerun_of = { execution_id: status.rerunOf.executionId, from_step: status.rerunOf.fromStep };
  }
  if (status.lease) wire.lease = toWireLease(status.lease);
  if (status.pausedBy) wire.paused_by = toWirePauseRule(status.pausedBy);
  if (status.pendingReason) wire.pending_reason = toWirePendingReason(status.pendingReason);
  return wire;
}

/** One step in snake_case. */
/** The snake_case JSON shape of a {@link RunInfo}. */
export function toWireRun(run: RunInfo): WireRunSummary {
  const wire: WireRunSummary = {
    run: run.run,
    status: run.status,
    task: run.task,
    created_at: run.createdAt.toISOString(),
  };
  if (run.completedAt) wire.completed_at = run.completedAt.toISOString();
  return wire;
}

export function toWireStep(step: StepStatusInfo): WireStep {
  const wire: WireStep = { name: step.name, kind: step.kind, status: step.status, attempts: step.attempts };
  if (step.result !== undefined) wire.result = step.result;
  if (step.error) wire.error = toWireErrorInfo(step.error);
  if (step.wakeAt) wire.wake_at = step.wakeAt.toISOString();
  if (step.startedAt) wire.started_at = step.startedAt.toISOString();
  if (step.completedAt) wire.completed_at = step.completedAt.toISOString();
  return wire;
}

/** One mailbox event in snake_case. */
export function toWireEvent(event: EventInfo): WireEvent {
  const wire: WireEvent = {
    event_name: event.eventName,
    payload: event.payload,
    offered_at: event.offeredAt.toISOString(),
  };
  if (event.idempotencyKey !== undefined) wire.idempotency_key = event.idempotencyKey;
  if (event.consumedAt) wire.consumed_at = event.consumedAt.toISOString();
  return wire;
}

/** An error info in snake_case (the keys of `details` too, one level deep). */
export function toWireErrorInfo(error: ErrorInfo): WireErrorInfo {
  const wire: WireErrorInfo = { name: error.name, message: error.message };
  if (error.code) wire.code = error.code;
  if (error.details) wire.details = snakeKeys(error.details);
  if (error.cause) wire.cause = toWireErrorInfo(error.cause);
  return wire;
}

/** `executionId` → `execution_id`. */
export function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A copy of `record` with its own keys in snake_case (values untouched). */
export function snakeKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [toSnakeCase(key), value]));
}
export { toWirePauseRule } from "./pause-rule-wire.js";
export { toWireSchedule } from "./schedule-wire.js";

export { toWireLease, toWireWorker } from "./worker-wire.js";
