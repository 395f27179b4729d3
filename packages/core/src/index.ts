export { type Clock, ManualClock, systemClock } from "./clock.js";
export {
  DEFAULT_WAIT_COMPLETION_TIMEOUT,
  DurableScheduler,
  type DurableSchedulerOptions,
  type ScheduleResult,
  type StartOptions,
  type WaitOptions,
} from "./durable-scheduler.js";
export { type Duration, toMillis } from "./duration.js";
export { context, defineStep, type ExecutionInfo, type StepFunction } from "./engine/ambient.js";
export type { ReceivedEvent } from "./engine/any-event-wait.js";
export type {
  ChildHandle,
  ChildResults,
  ChildTask,
  StartChildOptions,
} from "./engine/child-operations.js";
export type { GateOptions } from "./engine/gate-operation.js";
export { childLogger, consoleLogger, type LogFields, type Logger, silentLogger } from "./engine/logger.js";
export type { HandleResults, HandleSettled, SettledStep, StepHandle } from "./engine/parallel-operations.js";
export {
  type StepOptions,
  TaskContext,
  type TransactionOptions,
  type WaitForAnyEventOptions,
  type WaitForEventOptions,
} from "./engine/task-context.js";
export { deserializeError, serializeError } from "./error-serialization.js";
export * from "./errors.js";
export type { OfferEventOptions, StartIfMissing } from "./event-offer.js";
export type { ConcurrencyOptions } from "./flow/concurrency.js";
export type { DebounceOptions } from "./flow/debounce.js";
export { defineQueue, type QueueDefinition, type QueueOptions } from "./flow/define-queue.js";
export type { PendingReason } from "./flow/pending-reason.js";
export type { QueueInfo } from "./flow/queue-stats.js";
export type { RateLimitOptions } from "./flow/rate-limit.js";
export { RetryAfterError } from "./flow/retry-after-error.js";
export { observeBacklog } from "./hooks/otel-backlog.js";
export { metricsHooks } from "./hooks/otel-metrics.js";
export { tracingHooks } from "./hooks/otel-traces.js";
export { observeWorkers } from "./hooks/otel-workers.js";
export type {
  AttemptEnd,
  AttemptInfo,
  AttemptOutcome,
  StepAttemptEnd,
  StepAttemptInfo,
  SuspendInfo,
  WorkerHooks,
} from "./hooks/worker-hooks.js";
export { DEFAULT_MAX_PAYLOAD_BYTES, fromJsonText, MAX_JSON_DEPTH, toJsonText } from "./json.js";
export type {
  ExecutionFilter,
  ExecutionPage,
  ListOptions,
} from "./listing/list-page.js";
export {
  BULK_ACTIONS,
  type BulkAction,
  type BulkFilter,
  type BulkOptions,
  type BulkResult,
} from "./operator/bulk.js";
export type { RerunOptions, RerunResult } from "./operator/rerun.js";
export { PauseRuleNotFoundError } from "./pause-rules/pause-rule-errors.js";
export type { PauseRuleOptions, PauseRules } from "./pause-rules/pause-rules-client.js";
export { RetryConfig } from "./retry.js";
export type { PauseRule } from "./scheduler/pause-rules.js";
/** The store a scheduler and its workers share. Store authors: everything else is in `@zart/core/store`. */
export type { Scheduler } from "./scheduler/scheduler.js";
export {
  CATCHUP_POLICIES,
  type CatchupPolicy,
  CREATE_OUTCOMES,
  type CreateOutcome,
  EXECUTION_STATUSES,
  type ExecutionStatus,
  isTerminal,
  OVERLAP_POLICIES,
  type OverlapPolicy,
  PAUSABLE_STATUSES,
  PENDING_REASONS,
  type PendingReasonKind,
  RETRYABLE_STATUSES,
  SETTLED_STEP_STATUSES,
  STEP_KINDS,
  type StepKind,
  type StepStatus,
  TERMINAL_STATUSES,
  TRANSACTION_ISOLATIONS,
  type TransactionIsolation,
} from "./scheduler/vocabularies.js";
export { ScheduleAlreadyExistsError, ScheduleNotFoundError } from "./schedules/schedule-errors.js";
export type {
  CreateScheduleOptions,
  ScheduleInfo,
  UpdateScheduleOptions,
} from "./schedules/schedule-options.js";
export type { Schedules } from "./schedules/schedules-client.js";
export {
  MAX_START_MANY_ITEMS,
  type StartManyItem,
  type StartManyOutcome,
  type StartManyResult,
} from "./start-many.js";
export type { DurableExecutionStatus, ErrorInfo, EventInfo, RunInfo, StepStatusInfo } from "./status.js";
export { toErrorInfo, toStatus } from "./status.js";
export { StoreClock, type StoreClockOptions, type StoreTimeProbe } from "./store-clock.js";
export {
  defineTask,
  type EventSchemas,
  isTaskDefinition,
  type TaskDefinition,
  type TaskHandler,
  type TaskOptions,
} from "./task/define-task.js";
export { type RegisteredTask, TaskRegistry } from "./task/task-registry.js";
export {
  assertId,
  type InferOutput,
  MAX_ID_LENGTH,
  type StandardSchema,
  validateWith,
} from "./validation.js";
export { Worker } from "./worker.js";
export type { WorkerOptions } from "./worker-options.js";
export type { LeaseInfo } from "./workers/lease-status.js";
export type { WorkerInfo } from "./workers/worker-info.js";
