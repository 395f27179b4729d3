import type { PendingCounts } from "../scheduler/backlog.js";
import type { ExecutionRecord } from "../scheduler/records.js";
import type { PendingReasonKind, WaitReason } from "../scheduler/vocabularies.js";
import type { WorkerRecord } from "../scheduler/workers.js";
import { isGone } from "../workers/worker-info.js";

/**
 * Why an execution that is not running does not run now, as `status()` shows it: one case per
 * {@link PendingReasonKind}, each with a `message` for people ("concurrency limit tenant-7: 5/5").
 * A new cause (e.g. a rate limit) is one more case here and one more word in `PENDING_REASONS`.
 */
export type PendingReason =
  | {
      kind: "not-due";
      /** Its wake time. */
      until: Date;
      /** What it waits out: a sleep, a retry's backoff, a delayed start, an event's deadline… */
      cause: WaitReason | "delayed-start";
      message: string;
    }
  | {
      kind: "rate-limit";
      /** The window's end, when the claim that deferred it made it due again. */
      until: Date;
      /** The rate key (`task:<name>` or `queue:<name>`, then `"\n"` and the key when keyed). */
      rateKey: string;
      message: string;
    }
  | {
      kind: "concurrency-limit";
      /** The group (`queue:<name>` or `task:<name>`, then `"\n"` and the key when keyed). */
      concurrencyKey: string;
      /** The key its `key(data)` returned (absent for a keyless group). */
      key?: string;
      /** Unexpired leases held in the group now, and its limit. */
      running: number;
      limit: number;
      message: string;
    }
  | {
      kind: "priority";
      /** Its priority, and the highest among the due work a claim takes first. */
      priority: number;
      topDuePriority: number;
      message: string;
    }
  | { kind: "paused"; message: string }
  | { kind: "lease-expired"; expiredAt: Date; workerId?: string; message: string }
  | { kind: "no-worker"; task: string; message: string }
  | { kind: "ready"; message: string };

/** What explaining a due execution reads from the store (only then: see {@link readlessReason}). */
export interface DueContext {
  now: Date;
  workers: WorkerRecord[];
  /** Unexpired leases in its group (counted only when `limit` is known) and the top due priority. */
  counts: PendingCounts;
  /** Its group's concurrency limit, when the caller knows it (its task registry). */
  limit: number | undefined;
}

/** Whether `status()` explains the execution at all. */
function needsExplanation(execution: ExecutionRecord, now: Date): boolean {
  const { status } = execution;
  if (status === "paused") return true;
  if (status === "running") return execution.leaseExpiresAt !== undefined && execution.leaseExpiresAt <= now;
  return (status === "pending" || status === "waiting") && execution.runAt !== undefined;
}

/**
 * The reason read from the execution alone, first match wins: paused; lease expired; deferred by
 * a rate limit; not yet due. `"due"` when it is due, so that the reason needs the store (see
 * {@link dueReason}); `undefined` for an execution that runs, ended, or waits for a push only (an
 * event without a deadline, its children).
 */
export function readlessReason(execution: ExecutionRecord, now: Date): PendingReason | "due" | undefined {
  if (!needsExplanation(execution, now)) return undefined;
  if (execution.status === "paused") return { kind: "paused", message: "paused by an operator" };
  if (execution.status === "running") {
    return {
      kind: "lease-expired",
      expiredAt: execution.leaseExpiresAt as Date,
      ...(execution.leaseOwner ? { workerId: execution.leaseOwner } : {}),
      message: "lease expired, waiting to be reclaimed",
    };
  }
  const runAt = execution.runAt as Date;
  const { rateLimitedUntil, rateKey } = execution;
  if (rateLimitedUntil !== undefined && rateKey !== undefined && rateLimitedUntil > now) {
    return {
      kind: "rate-limit",
      until: rateLimitedUntil,
      rateKey,
      message: `rate limited until ${rateLimitedUntil.toISOString()} (${rateKey.replace("\n", " ")})`,
    };
  }
  if (runAt > now) {
    const cause = execution.waitReason ?? (execution.attempt > 0 ? "retry" : "delayed-start");
    return {
      kind: "not-due",
      until: runAt,
      cause,
      message: `not due until ${runAt.toISOString()} (${cause})`,
    };
  }
  return "due";
}

/**
 * Why a due execution (see {@link readlessReason}) waits, first match wins: no live worker for
 * the task; its group at its limit; higher-priority due work; else ready.
 */
export function dueReason(execution: ExecutionRecord, context: DueContext): PendingReason {
  const task = execution.taskName;
  if (!context.workers.some((w) => !isGone(w, context.now) && w.taskNames.includes(task))) {
    return { kind: "no-worker", task, message: `no live worker runs task "${task}"` };
  }
  const limited = concurrencyReason(execution.concurrencyKey, context);
  if (limited) return limited;
  const priority = execution.priority ?? 0;
  const { topDuePriority } = context.counts;
  if (topDuePriority > priority) {
    return {
      kind: "priority",
      priority,
      topDuePriority,
      message: `priority ${priority}: due work of priority ${topDuePriority} is claimed first`,
    };
  }
  return { kind: "ready", message: "due: the next free worker slot takes it" };
}

function concurrencyReason(
  concurrencyKey: string | undefined,
  { limit, counts }: DueContext,
): PendingReason | undefined {
  if (concurrencyKey === undefined || limit === undefined) return undefined;
  const { running } = counts;
  if (running < limit) return undefined;
  const newline = concurrencyKey.indexOf("\n");
  const key = newline < 0 ? undefined : concurrencyKey.slice(newline + 1);
  return {
    kind: "concurrency-limit",
    concurrencyKey,
    ...(key === undefined ? {} : { key }),
    running,
    limit,
    message: `concurrency limit ${key ?? concurrencyKey}: ${running}/${limit}`,
  };
}
