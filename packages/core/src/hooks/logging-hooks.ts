import { childLogger, type Logger } from "../engine/logger.js";
import { ExecutionCancelledError } from "../errors.js";
import type { WorkerHooks } from "./worker-hooks.js";

/**
 * The worker's own log of what went wrong, built on its hooks: each failure, retry, lease loss and
 * timeout once, on a child logger carrying the execution id, task name, attempt and worker id. Its
 * `stepEnded` acts on failed attempts only, so the worker skips reporting completed ones to it.
 */
export function loggingHooks(logger: Logger): WorkerHooks {
  return {
    attemptEnded(info) {
      const { executionId, taskName, attempt, workerId, step, outcome, error } = info;
      if (outcome === "lost" && error instanceof ExecutionCancelledError) return;
      const level = outcome === "failed" || outcome === "crashed" ? "error" : "warn";
      const message = ATTEMPT_MESSAGES[outcome];
      if (!message) return;
      childLogger(logger, { executionId, taskName, attempt, workerId, ...(step ? { step } : {}) })[level](
        { error: describe(error) },
        message,
      );
    },
    stepEnded({ executionId, taskName, workerId, step, attempt, outcome, error }) {
      if (outcome === "completed") return;
      childLogger(logger, { executionId, taskName, step, attempt, workerId }).warn(
        { error: describe(error) },
        outcome === "retry" ? "step attempt failed; retrying after backoff" : "step failed",
      );
    },
  };
}

const ATTEMPT_MESSAGES: Partial<Record<string, string>> = {
  failed: "execution failed",
  retry: "execution attempt failed; retrying",
  lost: "run abandoned: lease lost or store unreachable",
  crashed: "execution run crashed",
};

function describe(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
