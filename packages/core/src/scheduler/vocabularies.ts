/**
 * The closed word lists of the storage contract, defined once. Stores, schemas, the CLI and the
 * server build their checks, enums and SQL constraints from these constants instead of retyping them.
 * Also the browser-safe entry `@zart/core/vocabularies` (the console's): keep this file free of imports.
 */

export const EXECUTION_STATUSES = [
  "pending",
  "running",
  "waiting",
  "paused",
  "completed",
  "failed",
  "cancelled",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** The statuses an execution never leaves (except by being replaced by a new run of its id). */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ["completed", "failed", "cancelled"];

/** The statuses an operator's `retry` accepts: runs that ended without a result. */
export const RETRYABLE_STATUSES: readonly ExecutionStatus[] = ["failed", "cancelled"];

/** The statuses an operator's `pause` accepts (a `paused` one is left as it is). */
export const PAUSABLE_STATUSES: readonly ExecutionStatus[] = ["pending", "running", "waiting"];

export function isTerminal(status: ExecutionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * `parallel`: a `ctx.scheduleStep` unit; `child`: a `ctx.startChild` call or a wait on child executions;
 * `marker`: a `ctx.patched` decision recorded in the history (see `engine/patch-operations.ts`);
 * `transaction`: a `ctx.transaction` step, whose row commits with the body's own writes;
 * `gate`: a `ctx.gate` pass (completed) or a wait for its window (waiting, `wakeAt` = the window's end).
 */
export const STEP_KINDS = [
  "step",
  "sleep",
  "event",
  "capture",
  "parallel",
  "child",
  "marker",
  "transaction",
  "gate",
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_STATUSES = EXECUTION_STATUSES;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The step statuses a `rerun` copies into the new execution's history: steps that ended. */
export const SETTLED_STEP_STATUSES: readonly StepStatus[] = ["completed", "failed"];

/** What the execution is parked on while `status` is `"waiting"` (or `"pending"` after a task retry). */
/** `children`: parallel steps (`ctx.waitAll`); `child-executions`: `ctx.waitForChild(ren)`. */
export const WAIT_REASONS = ["sleep", "event", "children", "child-executions", "retry"] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/**
 * Why a wake-up was sent (see `WakeUp`). `reconnected`: the store's push channel (LISTEN, pub/sub)
 * came back after an outage, so wake-ups may have been missed meanwhile: poll now (`executionId`
 * is empty). `pause-rules`: a pause rule was created or deleted (`executionId` is the rule id):
 * workers read the rules again.
 */
export const WAKE_REASONS = [
  "created",
  "event",
  "child",
  "released",
  "cancelled",
  "retry",
  "reconnected",
  "resumed",
  "pause-rules",
] as const;
export type WakeReason = (typeof WAKE_REASONS)[number];

/**
 * What `createExecutions` did with one item: `created` (a new execution, or a new run replacing a
 * terminal one) or `exists` (a non-terminal execution holds the id; nothing changed).
 */
export const CREATE_OUTCOMES = ["created", "exists"] as const;
export type CreateOutcome = (typeof CREATE_OUTCOMES)[number];

/** Isolation levels a `ctx.transaction` body may ask for (SQLite transactions are always serializable). */
export const TRANSACTION_ISOLATIONS = ["read committed", "repeatable read", "serializable"] as const;
export type TransactionIsolation = (typeof TRANSACTION_ISOLATIONS)[number];

/** A word list as SQL literals (`'pending', 'running', …`), for CHECK constraints. */
export function sqlList(words: readonly string[]): string {
  return words.map((word) => `'${word}'`).join(", ");
}

/**
 * What a schedule does when a fire comes while its previous execution is not terminal: `skip` it
 * (default), `allow` both, `buffer-one` (start it once the previous ends; one buffered at most) or
 * `cancel-previous` (cancel the previous, start the new one).
 */
export const OVERLAP_POLICIES = ["skip", "allow", "buffer-one", "cancel-previous"] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/**
 * Which fires missed while no worker ticked (downtime) still start: `none` (default: only a fire
 * at most a minute late), `latest` (the most recent one in the catch-up window) or `all` (every
 * one in the window, oldest first).
 */
export const CATCHUP_POLICIES = ["none", "latest", "all"] as const;
export type CatchupPolicy = (typeof CATCHUP_POLICIES)[number];

/**
 * Why an execution that is not running does not run now (`status().pendingReason.kind`):
 * `not-due` (its wake time is ahead: a sleep, a retry backoff, a delayed start), `concurrency-limit`
 * (its group's slots are all held), `priority` (higher-priority due work is claimed first),
 * `paused`, `lease-expired` (a running one whose holder stopped renewing: waiting to be reclaimed),
 * `no-worker` (no live worker registered its task), `ready` (due: the next free worker takes it).
 */
export const PENDING_REASONS = [
  "not-due",
  "rate-limit",
  "concurrency-limit",
  "priority",
  "paused",
  "lease-expired",
  "no-worker",
  "ready",
] as const;
export type PendingReasonKind = (typeof PENDING_REASONS)[number];
