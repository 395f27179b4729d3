import { stepResultValue } from "./engine/child-wait-result.js";
import type { PendingReason } from "./flow/pending-reason.js";
import { fromJsonText } from "./json.js";
import type { PauseRule } from "./scheduler/pause-rules.js";
import type { ExecutionDetails, SerializedError } from "./scheduler/records.js";
import type { ExecutionStatus, StepKind, StepStatus } from "./scheduler/vocabularies.js";
import type { LeaseInfo } from "./workers/lease-status.js";

/** An error as shown in a status: no stack traces leave the store through here. */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
  cause?: ErrorInfo;
}

export interface StepStatusInfo {
  name: string;
  kind: StepKind;
  status: StepStatus;
  /** The step's value; a children wait's (`wait:<tasks>`): the children's results in handle order. */
  result?: unknown;
  error?: ErrorInfo;
  attempts: number;
  /** Sleep end, event-wait deadline, or next retry. */
  wakeAt?: Date;
  startedAt?: Date;
  completedAt?: Date;
}

/** An event in the mailbox; `consumedAt` is absent while it waits for a `waitForEvent`. */
export interface EventInfo {
  eventName: string;
  payload: unknown;
  idempotencyKey?: string;
  offeredAt: Date;
  consumedAt?: Date;
}

export interface DurableExecutionStatus {
  /** Registered task name. */
  name: string;
  /** The task version it started on (`defineTask({ version })`); absent = unversioned. */
  version?: string;
  executionId: string;
  /** Run number of the id, 1-based: each start that replaces a terminal execution begins the next run. */
  run: number;
  /** The input. */
  payload: unknown;
  status: ExecutionStatus;
  result?: unknown;
  error?: ErrorInfo;
  /** Task-level attempt, 0-based. */
  attempt: number;
  /** The `ctx.data()` blob. */
  data?: unknown;
  scheduledAt: Date;
  createdAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** The execution that started this one with `ctx.startChild` (absent for a top-level execution). */
  parentId?: string;
  /** The execution this one is a rerun of, and the step it started from. */
  rerunOf?: { executionId: string; fromStep: string };
  /** When a pending/waiting execution is due next (absent: waits for an event). */
  wakeAt?: Date;
  /**
   * A pending execution its task's (or queue's) rate limit held back: the end of the full window,
   * when it becomes claimable again (also its `wakeAt`).
   */
  rateLimitedUntil?: Date;
  /** A running execution's lease: who runs it and until when (`status()` only, not listings). */
  lease?: LeaseInfo;
  /**
   * Why it is held (`status()` only): the pause rule keeping a `pending` execution unclaimed (a
   * rule on its task) or a `paused` one at a step (a rule on that step).
   */
  pausedBy?: PauseRule;
  /**
   * Why it does not run now (`status()` only, not listings): for a pending or waiting execution
   * with a wake time, a paused one, or a running one whose lease expired. Absent otherwise.
   */
  pendingReason?: PendingReason;
  steps: StepStatusInfo[];
  events: EventInfo[];
}

/** One run of an execution id, as listed by `DurableScheduler.listRuns`. */
export interface RunInfo {
  run: number;
  status: ExecutionStatus;
  /** Registered task name. */
  task: string;
  createdAt: Date;
  completedAt?: Date;
}

export function toErrorInfo(error: SerializedError): ErrorInfo {
  return {
    name: error.name,
    message: error.message,
    ...(error.code ? { code: error.code } : {}),
    ...(error.details ? { details: error.details } : {}),
    ...(error.cause ? { cause: toErrorInfo(error.cause) } : {}),
  };
}

/** The public view of what a store returned. */
export function toStatus({ execution, steps, events }: ExecutionDetails): DurableExecutionStatus {
  const status: DurableExecutionStatus = {
    name: execution.taskName,
    ...(execution.version === undefined ? {} : { version: execution.version }),
    executionId: execution.executionId,
    run: execution.run ?? 1,
    payload: fromJsonText(execution.payload),
    status: execution.status,
    attempt: execution.attempt,
    scheduledAt: execution.scheduledAt,
    createdAt: execution.createdAt,
    steps: steps.map((step) => ({
      name: step.name,
      kind: step.kind,
      status: step.status,
      ...(step.result !== undefined ? { result: stepResultValue(step) } : {}),
      ...(step.error ? { error: toErrorInfo(step.error) } : {}),
      attempts: step.attempts,
      ...(step.wakeAt ? { wakeAt: step.wakeAt } : {}),
      ...(step.startedAt ? { startedAt: step.startedAt } : {}),
      ...(step.completedAt ? { completedAt: step.completedAt } : {}),
    })),
    events: events.map((event) => ({
      eventName: event.eventName,
      payload: fromJsonText(event.payload),
      ...(event.idempotencyKey !== undefined ? { idempotencyKey: event.idempotencyKey } : {}),
      offeredAt: event.offeredAt,
      ...(event.consumedAt ? { consumedAt: event.consumedAt } : {}),
    })),
  };
  if (execution.result !== undefined) status.result = fromJsonText(execution.result);
  if (execution.error) status.error = toErrorInfo(execution.error);
  if (execution.data !== undefined) status.data = fromJsonText(execution.data);
  if (execution.parentId !== undefined) status.parentId = execution.parentId;
  if (execution.rerunOf !== undefined) {
    status.rerunOf = { executionId: execution.rerunOf, fromStep: execution.rerunFromStep ?? "" };
  }
  if (execution.startedAt) status.startedAt = execution.startedAt;
  if (execution.rateLimitedUntil && execution.status === "pending") {
    status.rateLimitedUntil = execution.rateLimitedUntil;
  }
  if (execution.completedAt) status.completedAt = execution.completedAt;
  if (execution.runAt && (execution.status === "pending" || execution.status === "waiting")) {
    status.wakeAt = execution.runAt;
  }
  return status;
}
