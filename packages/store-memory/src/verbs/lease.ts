import type { Lease } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceChild, fenceExecution } from "../storage/fencing.js";
import { releaseChild, releaseExecution } from "../storage/lifecycle.js";

export function renewLease(ctx: MemoryContext, lease: Lease, leaseMs: number, now: Date): void {
  const expiresAt = new Date(now.getTime() + leaseMs);
  if (lease.kind === "child") {
    fenceChild(ctx.storage, lease).child.lease = { token: lease.token, expiresAt };
  } else {
    fenceExecution(ctx.storage, lease).record.leaseExpiresAt = expiresAt;
  }
}

export function releaseLease(ctx: MemoryContext, lease: Lease, now: Date): void {
  if (lease.kind === "child") releaseChild(fenceChild(ctx.storage, lease).child, now);
  else releaseExecution(fenceExecution(ctx.storage, lease), now);
  ctx.emit("released", lease.executionId);
}
