import { ValidationError, ZartError } from "../errors.js";
import { type ExecutionFilter, toStoreFilter } from "../listing/list-page.js";
import type { ListPosition } from "../scheduler/client-verbs.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import {
  type ExecutionStatus,
  isTerminal,
  PAUSABLE_STATUSES,
  RETRYABLE_STATUSES,
} from "../scheduler/vocabularies.js";

/** The operator actions `DurableScheduler.bulk` applies. */
export const BULK_ACTIONS = ["cancel", "retry", "pause", "resume"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The selection of a bulk action: at least one of `status`, `taskName`, `createdAfter`, `createdBefore`. */
export type BulkFilter = Pick<ExecutionFilter, "status" | "taskName" | "createdAfter" | "createdBefore">;

export interface BulkOptions {
  /** Count only: `changed` is how many the action would change now; nothing is written. */
  dryRun?: boolean;
}

/** What a bulk action did (or, with `dryRun`, would do). */
export interface BulkResult {
  /** Executions the filter selected. */
  matched: number;
  /** Executions the action changed (dry run: would change). */
  changed: number;
  /** `matched - changed`. */
  skipped: number;
  /**
   * Why they were skipped, counted per reason: the code of the error the one-execution action would
   * throw (`EXECUTION_NOT_RETRYABLE`, `EXECUTION_NOT_PAUSABLE`, `EXECUTION_NOT_PAUSED`,
   * `EXECUTION_NOT_FOUND`), or `ALREADY_FINISHED` (cancel) / `ALREADY_PAUSED` (pause).
   */
  skippedReasons: Record<string, number>;
}

/** Executions read per keyset page while walking the filter. */
const PAGE = 500;

/** Why the action would leave an execution of this status alone; undefined = it applies. */
function refusal(action: BulkAction, status: ExecutionStatus): string | undefined {
  switch (action) {
    case "cancel":
      return isTerminal(status) ? "ALREADY_FINISHED" : undefined;
    case "retry":
      return RETRYABLE_STATUSES.includes(status) ? undefined : "EXECUTION_NOT_RETRYABLE";
    case "pause":
      if (status === "paused") return "ALREADY_PAUSED";
      return PAUSABLE_STATUSES.includes(status) ? undefined : "EXECUTION_NOT_PAUSABLE";
    case "resume":
      return status === "paused" ? undefined : "EXECUTION_NOT_PAUSED";
  }
}

/** Applies the one-execution verb; false when it found nothing to do (a cancel of a finished one). */
function apply(scheduler: Scheduler, action: BulkAction, executionId: string, now: Date): Promise<boolean> {
  switch (action) {
    case "cancel":
      return scheduler.cancelExecution(executionId, now);
    case "retry":
      return scheduler.restartExecution(executionId, now).then(() => true);
    case "pause":
      return scheduler.pauseExecution(executionId, now).then(() => true);
    case "resume":
      return scheduler.resumeExecution(executionId, now).then(() => true);
  }
}

/** Codes of the typed errors that mean "its state changed since the page was read": skipped. */
const SKIPPABLE = new Set([
  "EXECUTION_NOT_FOUND",
  "EXECUTION_NOT_RETRYABLE",
  "EXECUTION_NOT_PAUSABLE",
  "EXECUTION_NOT_PAUSED",
]);

/**
 * Walks the filter newest first in keyset pages and applies the action to each execution through
 * its own atomic store verb (so no new store verb: each execution changes alone, and one whose state
 * changed concurrently is skipped with its reason, not an error). The walk only sees executions
 * created before it started: work started meanwhile is not touched.
 */
export async function bulk(
  scheduler: Scheduler,
  action: BulkAction,
  filter: BulkFilter,
  options: BulkOptions = {},
): Promise<BulkResult> {
  if (!(BULK_ACTIONS as readonly string[]).includes(action))
    throw new ValidationError(`Unknown bulk action "${action}"; use one of ${BULK_ACTIONS.join(", ")}.`);
  const selection = toStoreFilter(filter ?? {});
  if (Object.keys(selection).length === 0)
    throw new ValidationError(
      "A bulk action needs a filter: status, taskName, createdAfter or createdBefore.",
    );
  const startedAt = scheduler.clock.now();
  const before = new Date(startedAt.getTime() + 1);
  const createdBefore =
    selection.createdBefore && selection.createdBefore < before ? selection.createdBefore : before;
  const result: BulkResult = { matched: 0, changed: 0, skipped: 0, skippedReasons: {} };
  const skip = (reason: string) => {
    result.skipped += 1;
    result.skippedReasons[reason] = (result.skippedReasons[reason] ?? 0) + 1;
  };
  let after: ListPosition | undefined;
  for (;;) {
    const rows = await scheduler.listExecutions({
      ...selection,
      createdBefore,
      ...(after ? { after } : {}),
      limit: PAGE,
      offset: 0,
    });
    for (const { execution } of rows) {
      result.matched += 1;
      const reason = refusal(action, execution.status);
      if (reason !== undefined) skip(reason);
      else if (options.dryRun) result.changed += 1;
      else await applyOne(scheduler, action, execution.executionId, result, skip);
    }
    const last = rows.at(-1)?.execution;
    if (rows.length < PAGE || last === undefined) return result;
    after = { createdAt: last.createdAt, executionId: last.executionId };
  }
}

async function applyOne(
  scheduler: Scheduler,
  action: BulkAction,
  executionId: string,
  result: BulkResult,
  skip: (reason: string) => void,
): Promise<void> {
  try {
    if (await apply(scheduler, action, executionId, scheduler.clock.now())) result.changed += 1;
    else skip("ALREADY_FINISHED");
  } catch (error) {
    if (error instanceof ZartError && SKIPPABLE.has(error.code)) skip(error.code);
    else throw error;
  }
}
