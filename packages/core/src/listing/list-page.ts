import { ValidationError } from "../errors.js";
import type { ListFilter } from "../scheduler/client-verbs.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { EXECUTION_STATUSES, type ExecutionStatus } from "../scheduler/vocabularies.js";
import { type DurableExecutionStatus, toStatus } from "../status.js";
import { assertId } from "../validation.js";
import { decodeCursor, encodeCursor } from "./list-cursor.js";

/** Which executions `listExecutions`, `listExecutionsPage` and `bulk` select. */
export interface ExecutionFilter {
  status?: ExecutionStatus;
  taskName?: string;
  /** Only the child executions started by this execution (detached ones included). */
  parentId?: string;
  /** Only executions started on this task version (`defineTask({ version })`). */
  version?: string;
  /** Only executions of this queue (`defineQueue({ name })`). */
  queue?: string;
  /** Only executions created at or after this instant. */
  createdAfter?: Date;
  /** Only executions created strictly before this instant. */
  createdBefore?: Date;
}

export interface ListOptions extends ExecutionFilter {
  /** 1–1000, default 100. */
  limit?: number;
  /**
   * Deprecated: rows to skip (default 0). Rows inserted while you page shift offsets; use
   * `cursor` instead. Cannot be combined with `cursor`.
   */
  offset?: number;
  /** The `nextCursor` of the previous page: continue after its last row. */
  cursor?: string;
}

/** One page of executions, newest first. */
export interface ExecutionPage {
  executions: DurableExecutionStatus[];
  /** Pass it as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** The validated store filter of an {@link ExecutionFilter}; bad input → `ValidationError`. */
export function toStoreFilter(filter: ExecutionFilter): Omit<ListFilter, "limit" | "offset"> {
  if (filter.status !== undefined) checkStatus(filter.status);
  if (filter.taskName !== undefined) assertId(filter.taskName, "task name");
  if (filter.parentId !== undefined) assertId(filter.parentId, "parentId");
  if (filter.version !== undefined) assertId(filter.version, "version");
  if (filter.queue !== undefined) assertId(filter.queue, "queue");
  for (const key of ["createdAfter", "createdBefore"] as const) {
    const value = filter[key];
    if (value !== undefined && !(value instanceof Date && Number.isFinite(value.getTime()))) {
      throw new ValidationError(`${key} must be a valid Date.`);
    }
  }
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.taskName ? { taskName: filter.taskName } : {}),
    ...(filter.parentId ? { parentId: filter.parentId } : {}),
    ...(filter.version ? { version: filter.version } : {}),
    ...(filter.queue ? { queue: filter.queue } : {}),
    ...(filter.createdAfter ? { createdAfter: filter.createdAfter } : {}),
    ...(filter.createdBefore ? { createdBefore: filter.createdBefore } : {}),
  };
}

/**
 * One page, newest first (`createdAt` desc, then `executionId` asc). With `cursor` it is a keyset
 * page: rows created while a client pages never make it repeat or skip a row.
 */
export async function listPage(scheduler: Scheduler, options: ListOptions): Promise<ExecutionPage> {
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new ValidationError("limit must be an integer from 1 to 1000.");
  if (!Number.isInteger(offset) || offset < 0)
    throw new ValidationError("offset must be a non-negative integer.");
  if (options.cursor !== undefined && offset > 0)
    throw new ValidationError("Use either cursor or offset, not both.");
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  // One row more than asked tells whether a next page exists.
  const rows = await scheduler.listExecutions({
    ...toStoreFilter(options),
    ...(after ? { after } : {}),
    limit: limit + 1,
    offset,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1)?.execution;
  return {
    executions: page.map(toStatus),
    ...(rows.length > limit && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}

export function checkStatus(status: string): ExecutionStatus {
  if (!(EXECUTION_STATUSES as readonly string[]).includes(status)) {
    throw new ValidationError(`Unknown status "${status}"; use one of ${EXECUTION_STATUSES.join(", ")}.`);
  }
  return status as ExecutionStatus;
}
