import { dueReason, type PendingReason, readlessReason } from "./flow/pending-reason.js";
import { registeredLimit } from "./flow/queue-stats.js";
import { pausedBy } from "./pause-rules/paused-by.js";
import { readRun } from "./run-history.js";
import type { PendingCounts, PendingCountsQuery } from "./scheduler/backlog.js";
import { pendingCountsOf } from "./scheduler/queue-counts.js";
import type { ExecutionRecord } from "./scheduler/records.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import { type DurableExecutionStatus, toStatus } from "./status.js";
import type { TaskRegistry } from "./task/task-registry.js";
import { leaseInfo } from "./workers/lease-status.js";

/**
 * `status().pendingReason` of the current run. Reads the store only for a due execution: the
 * workers, and `pendingCounts` (its own group's leases only when the registry knows the group's
 * limit; the top due priority), not the whole `queueStats`.
 */
export async function explainPending(
  scheduler: Scheduler,
  registry: TaskRegistry | undefined,
  execution: ExecutionRecord,
  now: Date,
): Promise<PendingReason | undefined> {
  const reason = readlessReason(execution, now);
  if (reason !== "due") return reason;
  const { concurrencyKey } = execution;
  const limit = concurrencyKey === undefined ? undefined : registeredLimit(registry, concurrencyKey);
  const query = limit === undefined ? {} : { concurrencyKey };
  const [workers, counts] = await Promise.all([scheduler.listWorkers(), readCounts(scheduler, query, now)]);
  return dueReason(execution, { now, workers, counts, limit });
}

async function readCounts(
  scheduler: Scheduler,
  query: PendingCountsQuery,
  now: Date,
): Promise<PendingCounts> {
  if (scheduler.pendingCounts) return scheduler.pendingCounts(query, now);
  return pendingCountsOf(await scheduler.queueStats(now), query);
}

/**
 * `DurableScheduler.status`: the run with its lease holder (running), the pause rule holding it
 * (pending, or paused at a step) and why it waits (the current run only), read side by side.
 */
export async function readStatus(
  scheduler: Scheduler,
  registry: TaskRegistry | undefined,
  executionId: string,
  run: number | undefined,
): Promise<DurableExecutionStatus> {
  const details = await readRun(scheduler, executionId, run);
  const status = toStatus(details);
  const [lease, rule, reason] = await Promise.all([
    leaseInfo(scheduler, details),
    pausedBy(scheduler, details),
    run === undefined
      ? explainPending(scheduler, registry, details.execution, scheduler.clock.now())
      : undefined,
  ]);
  if (lease) status.lease = lease;
  if (rule) status.pausedBy = rule;
  if (reason) status.pendingReason = reason;
  return status;
}
