import {
  type ExecutionDetails,
  inQueue,
  type ListFilter,
  type PurgeFilter,
  type RunSummary,
} from "@zart/core/store";
import { millis } from "../db/args.js";
import { type DetailsReply, parseDetails, parseRow, parseSnapshot } from "../db/codec.js";
import type { RedisContext } from "../db/context.js";
import { listIndex, purgeStatuses } from "../db/replies.js";

/** Executions deleted per purge script call (each call is atomic and short). */
const PURGE_BATCH = 500;

/** One consistent read of the execution, its steps and its mailbox. */
export async function getExecution(
  ctx: RedisContext,
  executionId: string,
): Promise<ExecutionDetails | undefined> {
  const reply = await ctx.executor.run("getExecution", executionId, [executionId]);
  return parseDetails(reply as DetailsReply);
}

/** Run `run` of the id, archived (a snapshot taken when it was replaced) or current. */
export async function getRun(
  ctx: RedisContext,
  executionId: string,
  run: number,
): Promise<ExecutionDetails | undefined> {
  if (!Number.isSafeInteger(run) || run < 1) {
    ctx.executor.ensureOpen();
    return undefined;
  }
  const reply = (await ctx.executor.run("getRun", executionId, [executionId, run])) as
    | ["current", DetailsReply]
    | ["archived", string]
    | null;
  if (reply === null) return undefined;
  return reply[0] === "current" ? parseDetails(reply[1]) : parseSnapshot(reply[1]);
}

/** Every run of the id, the current one included, newest first. */
export async function listRuns(ctx: RedisContext, executionId: string): Promise<RunSummary[]> {
  const rows = (await ctx.executor.run("listRuns", executionId, [executionId])) as string[][];
  return rows
    .flatMap((row) => parseRow(row) ?? [])
    .map((record) => ({
      run: record.run ?? 1,
      status: record.status,
      taskName: record.taskName,
      createdAt: record.createdAt,
      ...(record.completedAt ? { completedAt: record.completedAt } : {}),
    }))
    .sort((a, b) => b.run - a.run);
}

/** Newest first (`createdAt` desc, then id), from the matching sorted-set index. */
export async function listExecutions(ctx: RedisContext, filter: ListFilter): Promise<ExecutionDetails[]> {
  if (filter.limit <= 0) {
    ctx.executor.ensureOpen();
    return [];
  }
  if (filter.parentId !== undefined) return listFiltered(ctx, filter, `children:${filter.parentId}`);
  if (filter.queue !== undefined) {
    const others = filter.status ?? filter.taskName ?? filter.version;
    if (others !== undefined) return listFiltered(ctx, filter, `queue:${filter.queue}`);
  }
  if (filter.version !== undefined && (filter.status !== undefined || filter.taskName !== undefined)) {
    return listFiltered(ctx, filter, `version:${filter.version}`);
  }
  const page = await ctx.executor.runGlobal("listExecutions", [
    listIndex(filter),
    Math.max(0, Math.floor(filter.offset)),
    Math.floor(filter.limit),
    ...scoreRange(filter),
  ]);
  return (page as DetailsReply[]).flatMap((reply) => parseDetails(reply) ?? []);
}

/**
 * The executions of one index (a parent's `children:`, a `version:` or a `queue:`), newest first, with the
 * other filters applied here: no index is kept per combination of filters, so this reads the whole
 * index (a parent's children are few; a version's unfinished executions drain).
 */
async function listFiltered(
  ctx: RedisContext,
  filter: ListFilter,
  index: string,
): Promise<ExecutionDetails[]> {
  const page = await ctx.executor.runGlobal("listExecutions", [index, 0, 100_000, ...scoreRange(filter)]);
  const start = Math.max(0, Math.floor(filter.offset));
  return (page as DetailsReply[])
    .flatMap((reply) => parseDetails(reply) ?? [])
    .filter(
      ({ execution }) =>
        (filter.status === undefined || execution.status === filter.status) &&
        (filter.taskName === undefined || execution.taskName === filter.taskName) &&
        (filter.version === undefined || execution.version === filter.version) &&
        (filter.queue === undefined || inQueue(execution.concurrencyKey, filter.queue)),
    )
    .slice(start, start + Math.floor(filter.limit));
}

/**
 * The script's score range for the created time range and keyset position (scores are -createdAt):
 * min, max, and the tie score and id when the position bounds the range.
 */
function scoreRange(filter: ListFilter): [string, string, string, string] {
  const max = filter.createdAfter === undefined ? "+inf" : String(-filter.createdAfter.getTime());
  const before = filter.createdBefore === undefined ? undefined : -filter.createdBefore.getTime();
  const at = filter.after === undefined ? undefined : -filter.after.createdAt.getTime();
  if (at !== undefined && (before === undefined || at > before)) {
    return [String(at), max, String(at), filter.after?.executionId ?? ""];
  }
  return [before === undefined ? "-inf" : `(${before}`, max, "", ""];
}

/** Deletes matching terminal executions in atomic batches; returns how many. */
export async function purge(ctx: RedisContext, filter: PurgeFilter): Promise<number> {
  const statuses = purgeStatuses(filter);
  if (statuses.length === 0) return 0;
  let total = 0;
  for (;;) {
    const [deleted, more] = (await ctx.executor.runGlobal("purge", [
      millis(filter.olderThan),
      PURGE_BATCH,
      ...statuses,
    ])) as [number, number];
    total += deleted;
    if (more === 0) return total;
  }
}
