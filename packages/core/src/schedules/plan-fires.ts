import type { Cron } from "croner";
import { nextFire, previousFire } from "./cron.js";
import { RECENT_EXECUTIONS, type ScheduleState } from "./schedule-state.js";

/** A fire at most this late counts as on time (`catchup: "none"` still starts it). */
export const ON_TIME_GRACE_MS = 60_000;

/** `catchup: "all"` starts at most this many fires per tick; the rest follow at the next ticks. */
export const MAX_FIRES_PER_TICK = 100;

/** What one tick does to a schedule: its new state, the fires to start, the execution to cancel. */
export interface FirePlan {
  state: ScheduleState;
  start: { executionId: string; fireAt: Date }[];
  /** `cancel-previous`: the previous execution, still running, to cancel before starting. */
  cancel?: string;
}

/** The execution id of the fire of `scheduleId` at `fireAt`: the same in every worker. */
export function fireExecutionId(scheduleId: string, fireAt: Date): string {
  return `${scheduleId}@${fireAt.toISOString()}`;
}

/**
 * Decides a due schedule's fires at `now` (pure): which fire times count (catch-up policy), which
 * of them start given whether the previous execution is still running (overlap policy), and the
 * state after. `undefined` when nothing changes (e.g. a buffered fire still waiting).
 */
export function planFires(
  state: ScheduleState,
  cron: Cron,
  now: Date,
  previousRunning: boolean,
): FirePlan | undefined {
  const { fires, nextFireAt } = dueFires(state, cron, now);
  const buffered = state.bufferedFireAt;
  if (fires.length === 0 && (!buffered || previousRunning) && nextFireAt === state.nextFireAt)
    return undefined;
  const candidates = buffered && !previousRunning ? [buffered, ...fires] : fires;
  let start: Date[] = [];
  let bufferedFireAt = previousRunning ? buffered : undefined;
  let cancel: string | undefined;
  switch (state.overlap) {
    case "allow":
      start = candidates;
      break;
    case "skip":
      start = previousRunning ? [] : candidates.slice(0, 1);
      break;
    case "buffer-one":
      if (previousRunning) bufferedFireAt ??= candidates.at(-1);
      else {
        start = candidates.slice(0, 1);
        bufferedFireAt = candidates.length > 1 ? candidates.at(-1) : undefined;
      }
      break;
    case "cancel-previous":
      start = candidates.slice(-1);
      if (previousRunning && start.length > 0) cancel = state.recentExecutionIds[0];
      break;
  }
  const started = start.map((fireAt) => ({ executionId: fireExecutionId(state.scheduleId, fireAt), fireAt }));
  const lastStarted = start.at(-1);
  const next: ScheduleState = {
    ...state,
    updatedAt: now,
    recentExecutionIds: [...started.map((s) => s.executionId).reverse(), ...state.recentExecutionIds].slice(
      0,
      RECENT_EXECUTIONS,
    ),
  };
  setOptional(next, "nextFireAt", nextFireAt);
  setOptional(next, "bufferedFireAt", bufferedFireAt);
  if (lastStarted) next.lastFireAt = lastStarted;
  return { state: next, start: started, ...(cancel ? { cancel } : {}) };
}

/** The fire times due at `now` that the catch-up policy keeps, and the next fire time after them. */
function dueFires(state: ScheduleState, cron: Cron, now: Date): { fires: Date[]; nextFireAt?: Date } {
  const first = state.nextFireAt;
  if (!first || first.getTime() > now.getTime())
    return { fires: [], ...(first ? { nextFireAt: first } : {}) };
  const after = nextFire(cron, now);
  const rest = after ? { nextFireAt: after } : {};
  if (state.catchup !== "all") {
    const latest = previousFire(cron, now) ?? first;
    const window = state.catchup === "none" ? ON_TIME_GRACE_MS : state.catchupWindowMs;
    const counts = latest.getTime() >= first.getTime() && now.getTime() - latest.getTime() <= window;
    return { fires: counts ? [latest] : [], ...rest };
  }
  const windowStart = now.getTime() - state.catchupWindowMs;
  let fire: Date | undefined =
    first.getTime() >= windowStart ? first : nextFire(cron, new Date(windowStart - 1));
  const fires: Date[] = [];
  while (fire && fire.getTime() <= now.getTime()) {
    if (fires.length === MAX_FIRES_PER_TICK) return { fires, nextFireAt: fire };
    fires.push(fire);
    fire = nextFire(cron, fire);
  }
  return { fires, ...rest };
}

function setOptional<K extends "nextFireAt" | "bufferedFireAt">(
  state: ScheduleState,
  key: K,
  value: Date | undefined,
): void {
  if (value) state[key] = value;
  else delete state[key];
}
