import { ExecutionNotFoundError, RunNotFoundError, ValidationError } from "./errors.js";
import type { ExecutionDetails } from "./scheduler/records.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import type { RunInfo } from "./status.js";

/**
 * The details of run `run` of the id (the current run when absent). Unknown id → `ExecutionNotFoundError`; unknown run → `RunNotFoundError`.
 */
export async function readRun(
  scheduler: Scheduler,
  executionId: string,
  run?: number,
): Promise<ExecutionDetails> {
  if (run !== undefined && (!Number.isSafeInteger(run) || run < 1)) {
    throw new ValidationError(`run must be an integer ≥ 1, got ${String(run)}.`);
  }
  const current = await scheduler.getExecution(executionId);
  if (run === undefined || (current && (current.execution.run ?? 1) === run)) {
    if (!current) throw new ExecutionNotFoundError(executionId);
    return current;
  }
  const archived = await scheduler.getRun(executionId, run);
  if (archived) return archived;
  if (!current) throw new ExecutionNotFoundError(executionId);
  throw new RunNotFoundError(executionId, run);
}

/** Every run of the id, newest first. Unknown id → `ExecutionNotFoundError`. */
export async function listRuns(scheduler: Scheduler, executionId: string): Promise<RunInfo[]> {
  const runs = await scheduler.listRuns(executionId);
  if (runs.length === 0) throw new ExecutionNotFoundError(executionId);
  return runs.map(({ run, status, taskName, createdAt, completedAt }) => ({
    run,
    status,
    task: taskName,
    createdAt,
    ...(completedAt ? { completedAt } : {}),
  }));
}
