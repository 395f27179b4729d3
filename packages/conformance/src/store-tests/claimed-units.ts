import type { Scheduler } from "@zart/core";
import type { ClaimedWork, StepWrite } from "@zart/core/store";

/**
 * Creates an execution of task `t` per id, due at `now`, and claims them all for worker `w`
 * (leases of `leaseMs`): each store's own tests of its write paths start from these units.
 */
export async function claimNewUnits(
  scheduler: Scheduler,
  ids: readonly string[],
  now: Date,
  leaseMs = 60_000,
): Promise<Map<string, ClaimedWork>> {
  for (const executionId of ids) {
    await scheduler.createExecution({ executionId, taskName: "t", payload: "null", runAt: now }, now);
  }
  const work = await scheduler.claim({ workerId: "w", taskNames: ["t"], limit: ids.length, leaseMs, now });
  if (work.length !== ids.length) throw new Error(`claimed ${work.length} units of ${ids.length}`);
  return new Map(work.map((unit) => [unit.lease.executionId, unit]));
}

/** A completed step `s<position>` with `result` (a JSON text), started and completed `at`. */
export function completedStep(position: number, result: string, at: Date): StepWrite {
  return {
    position,
    name: `s${position}`,
    kind: "step",
    status: "completed",
    result,
    attempts: 1,
    startedAt: at,
    completedAt: at,
  };
}
