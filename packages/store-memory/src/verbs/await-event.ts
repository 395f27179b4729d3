import type { AwaitEventInput, EventWaitOutcome, ExecutionPatch, Lease } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { fenceExecution } from "../storage/fencing.js";
import { applyPatch } from "../storage/rows.js";
import { decideWait } from "./await-any-event.js";

/** An any-event wait on one name, whose step records the bare payload. */
export function awaitEvent(
  ctx: MemoryContext,
  lease: Lease,
  input: AwaitEventInput,
  patch: ExecutionPatch,
  now: Date,
): EventWaitOutcome {
  const row = fenceExecution(ctx.storage, lease);
  applyPatch(row.record, patch);
  const { eventName, ...rest } = input;
  const outcome = decideWait(ctx.storage, row, { ...rest, eventNames: [eventName] }, now, (e) => e.payload);
  return outcome.outcome === "received" ? { outcome: "received", payload: outcome.payload } : outcome;
}
