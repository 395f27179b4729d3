import type { Clock } from "./clock.js";
import type { RunOutcome } from "./engine/execution-run.js";
import type { AttemptEnd, AttemptInfo } from "./hooks/worker-hooks.js";
import type { ClaimedWork } from "./scheduler/claims.js";

/** What the hooks' `attemptStarted` gets for a claimed unit, claimed now. */
export function attemptInfo(work: ClaimedWork, workerId: string, clock: Clock): AttemptInfo {
  const { execution } = work;
  return {
    executionId: execution.executionId,
    taskName: execution.taskName,
    attempt: execution.attempt,
    workerId,
    unit: work.kind,
    replay: work.steps.length > 0,
    ...(work.kind === "child" ? { step: work.child.name } : {}),
    ...(execution.runAt ? { dueAt: execution.runAt } : {}),
    claimedAt: clock.now(),
    ...(execution.traceContext ? { traceContext: execution.traceContext } : {}),
    ...resumedBy(work),
  };
}

/**
 * An execution woken by an offer resumes from the wait that offer answered, the last step of its
 * history: its `traceContext` is the offerer's, linked from the run's span.
 */
function resumedBy(work: ClaimedWork): { resumedBy?: string } {
  if (work.kind !== "execution") return {};
  const last = work.steps.at(-1);
  return last?.kind === "event" && last.status === "completed" && last.traceContext
    ? { resumedBy: last.traceContext }
    : {};
}

/** How a run ended, as the hooks report it. */
export type RunEnd = Pick<AttemptEnd, "outcome" | "error" | "wakeAt">;

/**
 * `attempt` itself (which a hook may have tagged) completed with how its run ended: no copy, as
 * copying an object carrying a hook's symbol-keyed tag is slow (see `WorkerHooks`).
 */
export function completed(attempt: AttemptInfo, end: RunEnd, startedAt: number): AttemptEnd {
  const info = attempt as AttemptEnd;
  info.outcome = end.outcome;
  if ("error" in end) info.error = end.error;
  if (end.wakeAt) info.wakeAt = end.wakeAt;
  info.durationMs = performance.now() - startedAt;
  return info;
}

/** Run outcomes the logging hook says nothing about (see `loggingHooks`). */
export const ENDS_WELL: ReadonlySet<RunOutcome["kind"]> = new Set([
  "completed",
  "settled",
  "suspended",
  "released",
  "replay-end",
]);

/** The outcome, error and wake time of a run, as the hooks report them. */
export function endOf(outcome: RunOutcome): RunEnd {
  switch (outcome.kind) {
    case "failed":
    case "lost":
      return { outcome: outcome.kind, error: outcome.error };
    case "suspended":
      return { outcome: outcome.kind, ...(outcome.wakeAt ? { wakeAt: outcome.wakeAt } : {}) };
    case "retry":
      return { outcome: outcome.kind, error: outcome.error, wakeAt: outcome.runAt };
    default:
      return { outcome: outcome.kind };
  }
}
