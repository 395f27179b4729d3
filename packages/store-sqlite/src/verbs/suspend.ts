import type { ExecutionPatch, Lease, SuspendInput } from "@zart/core/store";
import type { SqliteContext } from "../db/context.js";
import { updateFenced } from "../db/fencing.js";
import { NO_LEASE } from "../db/rows.js";
import { upsertStep } from "./save-step.js";

/** Fenced: writes `step` if given and parks the execution until `wakeAt` (sleep or retry backoff). */
export async function suspend(
  ctx: SqliteContext,
  lease: Lease,
  input: SuspendInput,
  patch: ExecutionPatch,
  _now: Date,
): Promise<void> {
  const { orm } = ctx;
  return ctx.writeBatched(() => {
    updateFenced(orm, lease, patch, {
      status: "waiting",
      waitReason: input.reason,
      waitEvent: null,
      runAt: input.wakeAt,
      ...NO_LEASE,
    });
    if (input.step !== undefined) upsertStep(orm, lease.executionId, input.step);
  });
}
