import {
  type ClaimedWork,
  type ClaimRequest,
  childLease,
  claimKey,
  claimKeys,
  executionLease,
  isTerminal,
  type StepRecord,
} from "@zart/core/store";
import { sortedSteps } from "../storage/rows.js";
import type { Entry, TutorialStorage } from "../storage/tutorial-storage.js";
import { takeToken } from "./take-rate-token.js";

export function claim(storage: TutorialStorage, request: ClaimRequest): ClaimedWork[] {
  const now = request.now.getTime();
  // Only the registered (task, version) pairs: a child goes by its execution's.
  const keys = new Set(claimKeys(request));
  const due: DueUnit[] = [];
  for (const entry of storage.entries.values()) {
    const { record } = entry;
    if (!keys.has(claimKey(record.taskName, record.version)) || isTerminal(record.status)) continue;
    const at = record.status === "running" ? record.leaseExpiresAt?.getTime() : record.runAt?.getTime();
    if (at !== undefined && at <= now) due.push({ entry, at });
    for (const step of entry.steps.values()) {
      if (step.kind !== "parallel") continue;
      const expires = entry.children.get(step.position)?.expiresAt.getTime();
      const wakeAt = step.wakeAt?.getTime() ?? now;
      if (step.status === "pending" && wakeAt <= now) due.push({ entry, child: step, at: wakeAt });
      else if (step.status === "running" && expires !== undefined && expires <= now) {
        due.push({ entry, child: step, at: expires });
      }
    }
  }
  // Higher priority first (children rank as 0), then the oldest due.
  const rank = (unit: { entry: Entry; child?: StepRecord }) =>
    unit.child ? 0 : (unit.entry.record.priority ?? 0);
  due.sort(
    (a, b) =>
      rank(b) - rank(a) ||
      a.at - b.at ||
      a.entry.record.createdAt.getTime() - b.entry.record.createdAt.getTime() ||
      (a.child?.position ?? -1) - (b.child?.position ?? -1),
  );
  const expiresAt = new Date(now + request.leaseMs);
  return withinLimits(storage, due, request).map(({ entry, child }): ClaimedWork => {
    const token = crypto.randomUUID();
    const record = entry.record;
    if (child) {
      entry.children.set(child.position, { token, expiresAt });
      child.status = "running";
      child.startedAt ??= new Date(now);
      delete child.wakeAt;
      return {
        kind: "child",
        lease: childLease(record.executionId, token, child.position),
        execution: structuredClone(record),
        steps: sortedSteps(entry).filter((step) => step.position < child.position),
        child: structuredClone(child),
      };
    }
    entry.token = token;
    record.status = "running";
    record.leaseOwner = request.workerId;
    record.leaseExpiresAt = expiresAt;
    record.startedAt ??= new Date(now);
    delete record.waitReason;
    delete record.waitEvent;
    delete record.rateLimitedUntil;
    return {
      kind: "execution",
      lease: executionLease(record.executionId, token),
      execution: structuredClone(record),
      steps: sortedSteps(entry),
    };
  });
}

/** A due unit of the claim: an execution, or one of its parallel children. */
interface DueUnit {
  entry: Entry;
  child?: StepRecord;
  at: number;
}

/**
 * The first `request.limit` of `sorted` (claim order) that fit `request.concurrencyLimits` and
 * `request.rateLimits`: an execution of a concurrency-limited task with a `concurrencyKey` is taken
 * only while fewer than its limit hold an unexpired lease with that key, counting those taken here;
 * the first start of a rate-limited one only while its window has room (see `withinRate`).
 * Children are never limited.
 */
function withinLimits(storage: TutorialStorage, sorted: DueUnit[], request: ClaimRequest): DueUnit[] {
  const limit = Math.max(0, request.limit);
  if (request.concurrencyLimits === undefined && request.rateLimits === undefined) {
    return sorted.slice(0, limit);
  }
  const limits = request.concurrencyLimits ?? {};
  const now = request.now.getTime();
  const held = new Map<string, number>();
  for (const { record } of storage.entries.values()) {
    const key = record.concurrencyKey;
    if (key !== undefined && record.status === "running" && (record.leaseExpiresAt?.getTime() ?? 0) > now) {
      held.set(key, (held.get(key) ?? 0) + 1);
    }
  }
  const taken: DueUnit[] = [];
  for (const unit of sorted) {
    if (taken.length >= limit) break;
    const { concurrencyKey: key, taskName } = unit.entry.record;
    const max = limits[taskName];
    const limited = !unit.child && key !== undefined && max !== undefined;
    if (limited && (held.get(key) ?? 0) >= max) continue;
    if (!unit.child && !withinRate(storage, unit.entry, request, now)) continue;
    if (limited) held.set(key, (held.get(key) ?? 0) + 1);
    taken.push(unit);
  }
  return taken;
}

/**
 * Rate limits: the first claim of a run (no `startedAt`) of a rate-limited execution counts one
 * start in its key's fixed window `floor(now / periodMs)`. A full window defers the execution to
 * its end (`runAt` and `rateLimitedUntil`) instead: it wakes at the reset.
 */
function withinRate(storage: TutorialStorage, entry: Entry, request: ClaimRequest, now: number): boolean {
  const { record } = entry;
  const rate = request.rateLimits?.[record.taskName];
  if (rate === undefined || record.rateKey === undefined || record.startedAt !== undefined) return true;
  const token = takeToken(storage, record.rateKey, rate.limit, rate.periodMs, now);
  if (token.taken) return true;
  record.runAt = new Date(token.end);
  record.rateLimitedUntil = new Date(token.end);
  return false;
}
