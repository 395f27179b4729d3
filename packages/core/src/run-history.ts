import { ExecutionNotFoundError, RunNotFoundError, ValidationError } from "./errors.js";
import type { ExecutionDetails } from "./scheduler/records.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import type { RunInfo } from "./status.js";

/**
 * The details of run `run` of the id (the current run when absent). A store without run history
 * knows only the current run. Unknown id → `ExecutionNotFoundError`; unknown run → `RunNotFoundError`.
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
  const archived = scheduler.getRun ? await scheduler.getRun(executionId, run) : undefined;
  if (archived) return archived;
  if (!current) throw new ExecutionNotFoundError(executionId);
  throw new RunNotFoundError(executionId, run);
}

/** Every run of the id, newest first. Unknown id → `ExecutionNotFoundError`. */
export async function listRuns(scheduler: Scheduler, executionId: string): Promise<RunInfo[]> {
  if (scheduler.listRuns) {
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
  const current = await scheduler.getExecution(executionId);
  if (!current) throw new ExecutionNotFoundError(executionId);
  const { execution } = current;
  return [
    {
      run: execution.run ?? 1,
      status: execution.status,
      task: execution.taskName,
      createdAt: execution.createdAt,
      ...(execution.completedAt ? { completedAt: execution.completedAt } : {}),
    },
  ];
}
