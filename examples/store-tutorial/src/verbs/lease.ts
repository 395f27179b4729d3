import type { Lease, StepRecord } from "@zart/core/store";
import { fenced } from "../storage/fencing.js";
import { clearLease } from "../storage/rows.js";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

export function renewLease(storage: TutorialStorage, lease: Lease, leaseMs: number, now: Date): void {
  const entry = fenced(storage, lease);
  const expiresAt = new Date(now.getTime() + leaseMs);
  if (lease.kind === "child") entry.children.set(lease.childPosition, { token: lease.token, expiresAt });
  else entry.record.leaseExpiresAt = expiresAt;
}

export function releaseLease(storage: TutorialStorage, lease: Lease, now: Date): void {
  const entry = fenced(storage, lease);
  if (lease.kind === "child") {
    entry.children.delete(lease.childPosition);
    (entry.steps.get(lease.childPosition) as StepRecord).status = "pending";
    return;
  }
  entry.record.status = "pending";
  entry.record.runAt = new Date(now);
  clearLease(entry);
}
