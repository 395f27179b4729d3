import {
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  ExecutionNotRetryableError,
  ExecutionTerminalError,
  LeaseLostError,
  messageOf,
  StepNotFoundError,
  StoreUnavailableError,
  ZartError,
} from "@zart/core";
import { type Lease, leaseLost } from "@zart/core/store";

/** The context of a failed call: which execution it was about, and under which lease. */
export interface ErrorContext {
  executionId?: string;
  lease?: Lease;
  /** The step a call names (a rerun's `fromStep`). */
  step?: string;
}

const SCRIPT_ERROR = /ZART_([A-Z_]+)\|([^|]*)\|/;

/**
 * Translates what ioredis throws into the core error classes, at the store's boundary:
 * the scripts' `ZART_<CODE>|<detail>|` replies become the matching domain errors; everything else
 * (connection refused or lost, retries exhausted, OOM, a script bug) becomes `StoreUnavailableError`
 * with the driver's error as `cause`.
 */
export function translateError(error: unknown, context: ErrorContext = {}): Error {
  if (error instanceof ZartError) return error;
  const message = messageOf(error);
  const match = SCRIPT_ERROR.exec(message);
  const id = context.executionId ?? match?.[2] ?? "";
  switch (match?.[1]) {
    case "LEASE_LOST":
      return context.lease ? leaseLost(context.lease) : new LeaseLostError(id);
    case "NOT_FOUND":
      return new ExecutionNotFoundError(id);
    case "EXISTS":
      return new ExecutionAlreadyExistsError(id);
    case "NOT_RETRYABLE": {
      const [executionId = id, status = "unknown"] = (match[2] ?? "").split(/:(?=[^:]*$)/);
      return new ExecutionNotRetryableError(executionId, status);
    }
    case "NOT_PAUSABLE":
    case "NOT_PAUSED": {
      const [executionId = id, status = "unknown"] = (match[2] ?? "").split(/:(?=[^:]*$)/);
      return match[1] === "NOT_PAUSED"
        ? new ExecutionNotPausedError(executionId, status)
        : new ExecutionNotPausableError(executionId, status);
    }
    case "STEP_NOT_FOUND":
      return new StepNotFoundError(id, context.step ?? "");
    case "TERMINAL":
      return new ExecutionTerminalError(id, match[2] ?? "terminal");
    default:
      return new StoreUnavailableError(
        `Redis command failed: ${message.replace(/[.\s]+$/, "")}. Check that the Redis server is reachable and healthy.`,
        { cause: error },
      );
  }
}
