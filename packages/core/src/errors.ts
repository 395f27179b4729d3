/**
 * The error hierarchy. Every error the library throws on purpose is a {@link ZartError} with a
 * stable `code`: the class name without `Error`, in SCREAMING_SNAKE_CASE. Match on `instanceof`
 * or `code`, never on message text.
 */
export class ZartError extends Error {
  /** Stable machine-readable code, e.g. `"EXECUTION_NOT_FOUND"`. */
  readonly code: string;
  /** Extra structured information (ids, validation issues, …). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}

type ErrorOptions = { cause?: unknown; details?: Record<string, unknown> };

export class ExecutionAlreadyExistsError extends ZartError {
  constructor(readonly executionId: string) {
    super(
      "EXECUTION_ALREADY_EXISTS",
      `Execution "${executionId}" already exists and is not finished; wait for it, cancel it, or use another id.`,
      { details: { executionId } },
    );
  }
}

export class ExecutionNotFoundError extends ZartError {
  constructor(readonly executionId: string) {
    super(
      "EXECUTION_NOT_FOUND",
      `No execution with id "${executionId}" exists; check the id or start it first.`,
      {
        details: { executionId },
      },
    );
  }
}

export class RunNotFoundError extends ZartError {
  constructor(
    readonly executionId: string,
    readonly run: number,
  ) {
    super("RUN_NOT_FOUND", `Execution "${executionId}" has no run ${run}; list its runs with listRuns(id).`, {
      details: { executionId, run },
    });
  }
}

export class ExecutionTerminalError extends ZartError {
  constructor(
    readonly executionId: string,
    readonly status: string,
  ) {
    super(
      "EXECUTION_TERMINAL",
      `Execution "${executionId}" is already ${status}; it accepts no more events.`,
      {
        details: { executionId, status },
      },
    );
  }
}

/** `retry` of an execution that did not end `failed` or `cancelled`: there is nothing to retry. */
export class ExecutionNotRetryableError extends ZartError {
  constructor(
    readonly executionId: string,
    readonly status: string,
  ) {
    super(
      "EXECUTION_NOT_RETRYABLE",
      `Execution "${executionId}" is ${status}; only a failed or cancelled execution can be retried.`,
      { details: { executionId, status } },
    );
  }
}

/** `rerun(id, { fromStep })` names a step that the execution's history does not hold. */
export class StepNotFoundError extends ZartError {
  constructor(
    readonly executionId: string,
    readonly step: string,
  ) {
    super(
      "STEP_NOT_FOUND",
      `Execution "${executionId}" has no step named "${step}"; use a name from its status().steps (with its #n suffix).`,
      { details: { executionId, step } },
    );
  }
}

/** `pause` of an execution that already finished. */
export class ExecutionNotPausableError extends ZartError {
  constructor(
    readonly executionId: string,
    readonly status: string,
  ) {
    super("EXECUTION_NOT_PAUSABLE", `Execution "${executionId}" is already ${status}; it cannot be paused.`, {
      details: { executionId, status },
    });
  }
}

/** `resume` of an execution that is not paused. */
export class ExecutionNotPausedError extends ZartError {
  constructor(
    readonly executionId: string,
    readonly status: string,
  ) {
    super(
      "EXECUTION_NOT_PAUSED",
      `Execution "${executionId}" is ${status}, not paused; there is nothing to resume.`,
      {
        details: { executionId, status },
      },
    );
  }
}

export class TaskNotRegisteredError extends ZartError {
  constructor(readonly taskName: string) {
    super(
      "TASK_NOT_REGISTERED",
      `No task named "${taskName}" is registered; register it with TaskRegistry.register().`,
      {
        details: { taskName },
      },
    );
  }
}

/** Input failed validation. `issues` holds the schema's issues (zod or any Standard Schema). */
export class ValidationError extends ZartError {
  readonly issues: readonly unknown[];
  constructor(message: string, issues: readonly unknown[] = [], options?: ErrorOptions) {
    super("VALIDATION", message, { ...options, details: { ...options?.details, issues } });
    this.issues = issues;
  }
}

export class WaitTimeoutError extends ZartError {
  constructor(executionId: string, timeoutMs: number) {
    super(
      "WAIT_TIMEOUT",
      `Execution "${executionId}" did not finish within ${timeoutMs} ms; it keeps running, wait again or inspect its status.`,
      { details: { executionId, timeoutMs } },
    );
  }
}

export class ExecutionFailedError extends ZartError {
  constructor(executionId: string, cause: unknown) {
    super("EXECUTION_FAILED", `Execution "${executionId}" failed: ${messageOf(cause)}`, {
      cause,
      details: { executionId },
    });
  }
}

export class ExecutionCancelledError extends ZartError {
  constructor(executionId: string) {
    super("EXECUTION_CANCELLED", `Execution "${executionId}" was cancelled.`, { details: { executionId } });
  }
}

export class EventTimeoutError extends ZartError {
  constructor(eventName: string, options?: ErrorOptions) {
    super("EVENT_TIMEOUT", `No "${eventName}" event arrived before the wait's timeout.`, {
      ...options,
      details: { eventName, ...options?.details },
    });
  }
}

/** A step failed for good (after its retries). `cause` is the last error. */
export class StepFailedError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("STEP_FAILED", message, options);
  }
}

export class TaskTimeoutError extends ZartError {
  constructor(message = "The execution ran past its task timeout.", options?: ErrorOptions) {
    super("TASK_TIMEOUT", message, options);
  }
}

export class NonDeterminismError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("NON_DETERMINISM", message, options);
  }
}

/** Throw it from a step or a task to fail at once, without step or task retries. */
export class NonRetryableError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("NON_RETRYABLE", message, options);
  }
}

/** The worker's lease on an execution was lost (expired and taken over, or cancelled). */
export class LeaseLostError extends ZartError {
  constructor(executionId: string, options?: ErrorOptions) {
    super(
      "LEASE_LOST",
      `This worker no longer holds the lease on execution "${executionId}"; the write was rejected.`,
      { ...options, details: { executionId, ...options?.details } },
    );
  }
}

export class PayloadTooLargeError extends ZartError {
  constructor(what: string, size: number, limit: number) {
    super(
      "PAYLOAD_TOO_LARGE",
      `${what} is ${size} bytes, over the ${limit}-byte limit; store large data elsewhere.`,
      {
        details: { size, limit },
      },
    );
  }
}

export class SerializationError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("SERIALIZATION", message, options);
  }
}

export class StoreUnavailableError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("STORE_UNAVAILABLE", message, options);
  }
}

/** A child execution awaited with `ctx.waitForChild` failed; `cause` is the child's error. */
export class ChildExecutionFailedError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("CHILD_EXECUTION_FAILED", message, options);
  }
}

/** A child execution awaited with `ctx.waitForChild` was cancelled. */
export class ChildExecutionCancelledError extends ZartError {
  constructor(message: string, options?: ErrorOptions) {
    super("CHILD_EXECUTION_CANCELLED", message, options);
  }
}

/**
 * A durable operation (`ctx.step`, a `defineStep` function, `ctx.sleep`, …) was called inside the
 * body of a step. Step bodies are plain code: call the operation after the step returns instead.
 */
export class NestedStepError extends ZartError {
  constructor(operation: string, outerStep: string) {
    super(
      "NESTED_STEP",
      `"${operation}" was called inside the body of step "${outerStep}": durable operations cannot nest. Call it after "${outerStep}" returns, or call a plain function inside the step.`,
      { details: { operation, outerStep } },
    );
  }
}

/**
 * Two durable operations were awaited at the same time (`Promise.race` / `Promise.all` over
 * `ctx.*` calls). Run them one after the other, use `scheduleStep` + `waitAll` for parallel work,
 * or `ctx.waitForAnyEvent` for the first of several events.
 */
export class ConcurrentOperationError extends ZartError {
  constructor(running: string, called: string) {
    super(
      "CONCURRENT_OPERATION",
      `"${called}" was called while "${running}" is still in flight: durable operations run one at a time. Await "${running}" first, use ctx.scheduleStep + ctx.waitAll for parallel work, or ctx.waitForAnyEvent for the first of several events.`,
      { details: { running, called } },
    );
  }
}

/** A `scheduleStep` handle was never passed to `waitAll` / `waitAllSettled`: its body never ran. */
export class UnawaitedStepError extends ZartError {
  constructor(...steps: string[]) {
    super(
      "UNAWAITED_STEP",
      `The task returned without awaiting parallel step(s) ${steps.map((s) => `"${s}"`).join(", ")}: pass every scheduleStep handle to ctx.waitAll or ctx.waitAllSettled.`,
      { details: { steps } },
    );
  }
}

/** Codes of errors that no retry can cure: the code (or the value) must change. */
const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "NON_RETRYABLE",
  "SERIALIZATION",
  "NESTED_STEP",
  "CONCURRENT_OPERATION",
  "TRANSACTIONS_NOT_SUPPORTED",
  "INVALID_TRANSACTION",
]);

/** True when an error (or one in its cause chain) asks to fail without retries. */
export function isNonRetryable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof ZartError && NON_RETRYABLE_CODES.has(e.code)) return true;
  }
  return false;
}

/** The error a step (or parallel step) fails with after its last attempt. */
export function stepFailed(label: string, name: string, attempts: number, cause: unknown): StepFailedError {
  return new StepFailedError(`${label} "${name}" failed after ${attempts} attempt(s): ${messageOf(cause)}`, {
    cause,
    details: { step: name, attempts },
  });
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A caller's transaction the store cannot write in (capability `transactionalStart` off: memory,
 * Redis) for `start(..., { transaction })` or `offerEvent(..., { transaction })`, or
 * `ctx.transaction` on a store without `transactionalSteps`. Nothing is persisted. `feature` names
 * what was refused.
 */
export class TransactionsNotSupportedError extends ZartError {
  constructor(
    readonly store: string,
    feature: "start" | "offer" | "step" = "start",
  ) {
    super(
      "TRANSACTIONS_NOT_SUPPORTED",
      feature === "step"
        ? `The ${store} store cannot run ctx.transaction steps (it has no database transaction to commit the step with your writes); use the Postgres or SQLite store, or ctx.step.`
        : `The ${store} store cannot ${feature === "offer" ? "offer an event" : "start an execution"} inside your transaction; use the Postgres or SQLite store, or ${feature} without { transaction }.`,
      { details: { store, feature } },
    );
  }
}

/** The `transaction` handed to `start` is not one the store can write in; `problem` says why. */
export class InvalidTransactionError extends ZartError {
  constructor(problem: string) {
    super("INVALID_TRANSACTION", `Invalid { transaction }: ${problem}. Nothing was persisted.`, {
      details: { problem },
    });
  }
}
