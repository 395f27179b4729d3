import {
  type ClaimedWork,
  type ClaimRequest,
  childLease,
  claimKey,
  claimKeys,
  executionLease,
} from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import type { ExecutionRow, MemoryStorage, StepRow } from "../storage/memory-storage.js";
import { copy, stepRecords, stepRecordsBefore } from "../storage/rows.js";

/** A unit of work that is due: an execution, or one of its parallel children. */
interface DueUnit {
  row: ExecutionRow;
  child?: StepRow;
  /** When it became due; oldest first. */
  dueAt: number;
}

/**
 * Claims up to `request.limit` due units, higher priority first (children rank as 0), then oldest
 * due time first (ties: older execution, then id,
 * then the execution before its children by position), of the request's `claimKeys` only (task
 * and version)
 * (a child by its parent's task). Synchronous, hence exactly once per unit.
 */
export function claim(ctx: MemoryContext, request: ClaimRequest): ClaimedWork[] {
  const { storage } = ctx;
  const keys = claimKeys(request);
  if (request.limit < 1 || keys.length === 0) return [];
  const now = request.now.getTime();
  const sorted = collectDue(storage, now, new Set(keys)).sort(compareUnits);
  const due =
    request.concurrencyLimits || request.rateLimits
      ? withinLimits(storage, sorted, request, now)
      : sorted.slice(0, request.limit);
  const expiresAt = new Date(now + request.leaseMs);
  return due.map((unit) => {
    const token = crypto.randomUUID();
    return unit.child === undefined
      ? claimExecution(storage, unit.row, { token, expiresAt, request })
      : claimChild(storage, unit.row, unit.child, { token, expiresAt, request });
  });
}

/**
 * The first `request.limit` of `sorted` that fit the limits: an execution of a concurrency-limited
 * task with a `concurrencyKey` only while fewer than its limit hold an unexpired lease with that
 * key, counting the ones taken here; the first start of a rate-limited one only if its window has
 * room (counted here), else it is deferred to the window's end.
 */
function withinLimits(
  storage: MemoryStorage,
  sorted: DueUnit[],
  request: ClaimRequest,
  now: number,
): DueUnit[] {
  const limits = request.concurrencyLimits ?? {};
  const held = new Map<string, number>();
  for (const { record } of storage.unfinishedExecutions()) {
    const key = record.concurrencyKey;
    if (key !== undefined && record.status === "running" && (record.leaseExpiresAt?.getTime() ?? 0) > now) {
      held.set(key, (held.get(key) ?? 0) + 1);
    }
  }
  const taken: DueUnit[] = [];
  for (const unit of sorted) {
    if (taken.length >= request.limit) break;
    const { concurrencyKey: key, taskName } = unit.row.record;
    const max = limits[taskName];
    const count = held.get(key ?? "") ?? 0;
    if (unit.child === undefined && key !== undefined && max !== undefined && count >= max) continue;
    if (unit.child === undefined && !withinRate(storage, unit.row, request, now)) continue;
    if (unit.child === undefined && key !== undefined && max !== undefined) held.set(key, count + 1);
    taken.push(unit);
  }
  return taken;
}

/**
 * True when `row` may start: it is not the first claim of its run, has no rate limit, or its
 * window has room (one start counted). Otherwise it is deferred to the window's end.
 */
function withinRate(storage: MemoryStorage, row: ExecutionRow, request: ClaimRequest, now: number): boolean {
  const { record } = row;
  const rate = request.rateLimits?.[record.taskName];
  if (record.rateKey === undefined || rate === undefined || record.startedAt !== undefined) return true;
  const full = storage.rateWindows.take(record.rateKey, now, rate.limit, rate.periodMs);
  if (full === undefined) return true;
  record.runAt = new Date(full);
  record.rateLimitedUntil = new Date(full);
  return false;
}

/** Due units of executions (and their children) whose `claimKey` is in `keys`. */
function collectDue(storage: MemoryStorage, now: number, keys: ReadonlySet<string>): DueUnit[] {
  const due: DueUnit[] = [];
  for (const row of storage.unfinishedExecutions()) {
    if (!keys.has(claimKey(row.record.taskName, row.record.version))) continue;
    const dueAt = executionDueAt(row, now);
    if (dueAt !== undefined) due.push({ row, dueAt });
    for (const child of storage.steps(row.record.executionId).values()) {
      const childDueAt = childDueAtOf(child, now);
      if (childDueAt !== undefined) due.push({ row, child, dueAt: childDueAt });
    }
  }
  return due;
}

/** Pending/waiting with `runAt <= now`, or running with an expired lease; no `runAt` = never by time. */
function executionDueAt({ record }: ExecutionRow, now: number): number | undefined {
  if (record.status === "pending" || record.status === "waiting") {
    const runAt = record.runAt?.getTime();
    return runAt !== undefined && runAt <= now ? runAt : undefined;
  }
  const expiresAt = record.leaseExpiresAt?.getTime();
  return record.status === "running" && expiresAt !== undefined && expiresAt <= now ? expiresAt : undefined;
}

/** A parallel child is due while pending (once its retry's `dueAt` has come), or running with an expired lease. */
function childDueAtOf(child: StepRow, now: number): number | undefined {
  if (child.record.kind !== "parallel") return undefined;
  if (child.record.status === "pending") {
    const dueAt = child.dueAt?.getTime() ?? now;
    return dueAt <= now ? dueAt : undefined;
  }
  const expiresAt = child.lease?.expiresAt.getTime();
  return child.record.status === "running" && expiresAt !== undefined && expiresAt <= now
    ? expiresAt
    : undefined;
}

/** An execution's priority; a parallel child ranks as 0 (see `Scheduler.claim`). */
function priorityOf(unit: DueUnit): number {
  return unit.child === undefined ? (unit.row.record.priority ?? 0) : 0;
}

function compareUnits(a: DueUnit, b: DueUnit): number {
  const ra = a.row.record;
  const rb = b.row.record;
  return (
    priorityOf(b) - priorityOf(a) ||
    a.dueAt - b.dueAt ||
    ra.createdAt.getTime() - rb.createdAt.getTime() ||
    (ra.executionId < rb.executionId ? -1 : ra.executionId > rb.executionId ? 1 : 0) ||
    (a.child?.record.position ?? -1) - (b.child?.record.position ?? -1)
  );
}

interface Grant {
  token: string;
  expiresAt: Date;
  request: ClaimRequest;
}

function claimExecution(storage: MemoryStorage, row: ExecutionRow, grant: Grant): ClaimedWork {
  const record = row.record;
  row.token = grant.token;
  record.status = "running";
  record.leaseOwner = grant.request.workerId;
  record.leaseExpiresAt = new Date(grant.expiresAt);
  record.startedAt ??= new Date(grant.request.now);
  delete record.waitReason;
  delete record.waitEvent;
  delete record.rateLimitedUntil;
  return {
    kind: "execution",
    lease: executionLease(record.executionId, grant.token),
    execution: copy(record),
    steps: stepRecords(storage, record.executionId),
  };
}

function claimChild(storage: MemoryStorage, row: ExecutionRow, child: StepRow, grant: Grant): ClaimedWork {
  const executionId = row.record.executionId;
  child.lease = { token: grant.token, expiresAt: new Date(grant.expiresAt) };
  child.record.status = "running";
  child.record.startedAt ??= new Date(grant.request.now);
  delete child.dueAt;
  return {
    kind: "child",
    lease: childLease(executionId, grant.token, child.record.position),
    execution: copy(row.record),
    steps: stepRecordsBefore(storage, executionId, child.record.position),
    child: copy(child.record),
  };
}
