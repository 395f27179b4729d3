import type { ClaimRequest, StepRecord } from "@zart/core/store";
import type { Entry } from "./tutorial-storage.js";

/** A due unit of the claim: an execution, or one of its parallel children. */
export interface DueUnit {
  entry: Entry;
  child?: StepRecord;
  at: number;
}

/**
 * The first `request.limit` of `sorted` (claim order) that fit `request.concurrencyLimits`: an
 * execution of a limited task with a `concurrencyKey` is taken only while fewer than its limit hold
 * an unexpired lease with that key, counting those taken here. Children are never limited.
 */
export function withinLimits(entries: Iterable<Entry>, sorted: DueUnit[], request: ClaimRequest): DueUnit[] {
  const limit = Math.max(0, request.limit);
  const limits = request.concurrencyLimits;
  if (limits === undefined) return sorted.slice(0, limit);
  const now = request.now.getTime();
  const held = new Map<string, number>();
  for (const { record } of entries) {
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
    if (!unit.child && key !== undefined && max !== undefined) {
      if ((held.get(key) ?? 0) >= max) continue;
      held.set(key, (held.get(key) ?? 0) + 1);
    }
    taken.push(unit);
  }
  return taken;
}
