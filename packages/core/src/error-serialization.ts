import * as errors from "./errors.js";
import type { SerializedError } from "./scheduler/records.js";

/** Turns anything thrown into a persistable error (name, message, code, stack, details, cause chain). */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message };
  if (error instanceof errors.ZartError) {
    out.code = error.code;
    if (error.details !== undefined) out.details = jsonSafe(error.details);
  }
  if (error.stack !== undefined) out.stack = error.stack;
  if (error.cause !== undefined && depth < 5) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

const BY_CODE = new Map<
  string,
  new (
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) => errors.ZartError
>([
  ["STEP_FAILED", errors.StepFailedError],
  ["TASK_TIMEOUT", errors.TaskTimeoutError],
  ["NON_DETERMINISM", errors.NonDeterminismError],
  ["NON_RETRYABLE", errors.NonRetryableError],
  ["SERIALIZATION", errors.SerializationError],
  ["STORE_UNAVAILABLE", errors.StoreUnavailableError],
  ["CHILD_EXECUTION_FAILED", errors.ChildExecutionFailedError],
  ["CHILD_EXECUTION_CANCELLED", errors.ChildExecutionCancelledError],
]);

/**
 * Rebuilds a persisted error so replay throws what the first run threw: the same class for the
 * library's own errors (matched by `code`), otherwise an `Error` with the original name and message.
 */
export function deserializeError(serialized: SerializedError): Error {
  const cause = serialized.cause ? deserializeError(serialized.cause) : undefined;
  let error: Error;
  const ctor = serialized.code ? BY_CODE.get(serialized.code) : undefined;
  if (ctor) {
    error = new ctor(serialized.message, { cause, details: serialized.details });
  } else if (serialized.code === "VALIDATION") {
    const issues = serialized.details?.issues;
    error = new errors.ValidationError(serialized.message, Array.isArray(issues) ? issues : [], { cause });
  } else if (serialized.code === "EVENT_TIMEOUT") {
    error = new errors.EventTimeoutError(String(serialized.details?.eventName ?? "event"), { cause });
  } else if (serialized.code) {
    error = new errors.ZartError(serialized.code, serialized.message, { cause, details: serialized.details });
  } else {
    error = new Error(serialized.message, cause === undefined ? undefined : { cause });
  }
  error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

function jsonSafe(value: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
