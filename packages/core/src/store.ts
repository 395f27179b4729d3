/**
 * `@zart/core/store`: the entry point for store authors. It holds the `Scheduler` contract with
 * every input and output type named, the lease union, capability flags with their defaults, the
 * vocabularies every store persists, and the helpers stores share. Applications import `@zart/core`.
 */
export { type Clock, ManualClock, systemClock } from "./clock.js";
export type { Logger } from "./engine/logger.js";
export { silentLogger } from "./engine/logger.js";
export {
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  ExecutionNotRetryableError,
  ExecutionTerminalError,
  LeaseLostError,
  StepNotFoundError,
  StoreUnavailableError,
  ValidationError,
  ZartError,
} from "./errors.js";
export { rateWindow } from "./flow/rate-limit.js";
export {
  type AnyEventWaitOutcome,
  type AwaitAnyEventInput,
  anyEventResult,
  joinWaitEvents,
  WAIT_EVENT_SEPARATOR,
  waitsOnEvent,
} from "./scheduler/any-event.js";
export type * from "./scheduler/backlog.js";
export {
  DEFAULT_CAPABILITIES,
  defineCapabilities,
  type StoreCapabilities,
} from "./scheduler/capabilities.js";
export type * from "./scheduler/child-executions.js";
export { claimKey, claimKeys } from "./scheduler/claim-keys.js";
export type * from "./scheduler/claims.js";
export type * from "./scheduler/client-store.js";
export type * from "./scheduler/client-verbs.js";
export type * from "./scheduler/debounce.js";
export type * from "./scheduler/events.js";
export {
  type ChildLease,
  childLease,
  type ExecutionLease,
  executionLease,
  type Lease,
  leaseLost,
} from "./scheduler/lease.js";
export type * from "./scheduler/parallel-children.js";
export type * from "./scheduler/pause-rules.js";
export { countQueues, pendingCountsOf } from "./scheduler/queue-counts.js";
export { inQueue, queueKeyRange } from "./scheduler/queue-keys.js";
export type * from "./scheduler/records.js";
export type * from "./scheduler/scheduler.js";
export type * from "./scheduler/schedules.js";
export {
  redactUrl,
  type StoreLoader,
  type StoreOpenOptions,
  takeUrlParam,
} from "./scheduler/store-loader.js";
export type * from "./scheduler/transactional-step.js";
export * from "./scheduler/vocabularies.js";
export { WakeUpHub } from "./scheduler/wake-up-hub.js";
export type * from "./scheduler/worker-store.js";
export type * from "./scheduler/worker-writes.js";
export type * from "./scheduler/workers.js";
export { ScheduleAlreadyExistsError } from "./schedules/schedule-errors.js";
export { StoreClock, type StoreClockOptions, type StoreTimeProbe } from "./store-clock.js";
