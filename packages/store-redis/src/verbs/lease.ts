import type { Lease } from "@zart/core/store";
import { millis } from "../db/args.js";
import type { ScriptArg } from "../db/commands.js";
import type { RedisContext } from "../db/context.js";

/** Fenced: extends the lease (of the execution, or of the child for a child lease). */
export async function renewLease(ctx: RedisContext, lease: Lease, leaseMs: number, now: Date): Promise<void> {
  await ctx.executor.fenced("renewLease", lease, [position(lease), Math.ceil(leaseMs), millis(now)]);
}

/** Fenced: gives the unit back without progress; publishes `released`. */
export async function releaseLease(ctx: RedisContext, lease: Lease, now: Date): Promise<void> {
  await ctx.executor.fenced("releaseLease", lease, [position(lease), millis(now), ctx.origin]);
  ctx.emit("released", lease.executionId);
}

/** The child position argument of a lease (`""` for the execution itself). */
function position(lease: Lease): ScriptArg {
  return lease.kind === "child" ? lease.childPosition : "";
}
