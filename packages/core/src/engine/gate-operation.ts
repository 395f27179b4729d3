import { checkRate, type RateLimitOptions } from "../flow/rate-limit.js";
import { assertId } from "../validation.js";
import type { RunState } from "./run-state.js";

/** `ctx.gate` options: at most `limit` passes per `period` (fixed windows), per `key` when given. */
export interface GateOptions extends Omit<RateLimitOptions, "key"> {
  /** The budget the pass counts in (e.g. an API key or a tenant); absent = one budget per gate name. */
  key?: string;
}

/**
 * Waits until the gate `name` (per `options.key`) has room in its current fixed window, taking
 * one pass. The execution parks in the store meanwhile (no worker held) and wakes at the window's
 * end. A pass is recorded in the history (kind `gate`), so a replay never takes another.
 */
export async function passGate(state: RunState, name: string, options: GateOptions): Promise<void> {
  assertId(name, "gate name");
  const { limit, periodMs } = checkRate(options, `gate "${name}"`);
  if (options.key !== undefined) assertId(options.key, `gate "${name}" key`);
  const key = options.key === undefined ? `gate:${name}` : `gate:${name}\n${options.key}`;
  const { position, stepName, recorded } = state.claimSlot(name, "gate");
  try {
    await state.enterOperation();
    if (recorded?.status === "completed") return;
    if (state.replayOnly) return state.park({ kind: "replay-end" });
    const outcome = await state.takeRateToken({ key, limit, periodMs });
    const step = { position, name: stepName, kind: "gate" as const, attempts: (recorded?.attempts ?? 0) + 1 };
    const startedAt = recorded?.startedAt ?? state.now();
    if (outcome.taken) {
      await state.writes.saveStep({ ...step, status: "completed", startedAt, completedAt: state.now() });
      return;
    }
    const wakeAt = state.timeoutAt && state.timeoutAt < outcome.retryAt ? state.timeoutAt : outcome.retryAt;
    return state.writes.suspend({
      step: { ...step, status: "waiting", startedAt, wakeAt: outcome.retryAt },
      wakeAt,
      reason: "sleep",
    });
  } finally {
    state.operations.leave();
  }
}
