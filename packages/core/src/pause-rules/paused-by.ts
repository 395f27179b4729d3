import type { PauseRule } from "../scheduler/pause-rules.js";
import type { ExecutionDetails } from "../scheduler/records.js";
import type { Scheduler } from "../scheduler/scheduler.js";

/**
 * The pause rule holding an execution back, for `status()`: a pending one whose task a step-less
 * rule holds, or a paused one stopped at a step (recorded `paused`) that a rule of that step holds.
 * Other statuses read no rules.
 */
export async function pausedBy(
  scheduler: Scheduler,
  details: ExecutionDetails,
): Promise<PauseRule | undefined> {
  const { execution, steps } = details;
  const atStep = steps.find((step) => step.status === "paused")?.name;
  if (execution.status !== "pending" && !(execution.status === "paused" && atStep !== undefined)) {
    return undefined;
  }
  const rules = await scheduler.listPauseRules(scheduler.clock.now());
  return rules.find(
    (rule) =>
      rule.taskName === execution.taskName &&
      (execution.status === "pending" ? rule.stepName === undefined : rule.stepName === atStep),
  );
}
