import type { Scheduler } from "@zart/core";
import type { ClaimedWork, SerializedError, StepWrite, WakeUp } from "@zart/core/store";
import { expect } from "vitest";
import type { Harness } from "../../harness.js";

/** The lease every claim of the verb suites asks for. */
export const LEASE_MS = 30_000;
export const BOOM: SerializedError = { name: "Error", message: "boom" };
export const TIMEOUT: SerializedError = {
  name: "EventTimeoutError",
  message: "no event",
  code: "EVENT_TIMEOUT",
};

/**
 * One test's world for driving the store verbs directly (no engine): the harness's scheduler on a
 * manual clock, and shorthands for the calls every verb test makes.
 */
export async function verbEnv(h: Harness) {
  const env = await h.env();
  const { clock, scheduler } = env;
  const now = () => clock.now();
  const start = (executionId: string, runAt = now()) =>
    scheduler.createExecution({ executionId, taskName: "task", payload: '{"n":1}', runAt }, now());
  const claim = (workerId = "w1", limit = 10) =>
    scheduler.claim({ workerId, taskNames: ["task"], limit, leaseMs: LEASE_MS, now: now() });
  /** Claims exactly one unit and returns it. */
  const claimOne = async (workerId = "w1"): Promise<ClaimedWork> => {
    const work = await claim(workerId, 1);
    expect(work).toHaveLength(1);
    return work[0]!;
  };
  const step = (position: number, status: StepWrite["status"] = "completed"): StepWrite => ({
    position,
    name: `s${position}`,
    kind: "step",
    status,
    result: status === "completed" ? String(position) : undefined,
    attempts: 1,
  });
  const details = async (executionId: string) => {
    const found = await scheduler.getExecution(executionId);
    if (!found) throw new Error(`execution ${executionId} vanished`);
    return found;
  };
  return { env, clock, scheduler, now, start, claim, claimOne, step, details };
}

/** Collects the wake-ups `subscribe` delivers (in microtasks; see {@link flush}). */
export function recordWakeUps(scheduler: Scheduler): WakeUp[] {
  const wakes: WakeUp[] = [];
  scheduler.subscribe((wake) => wakes.push(wake));
  return wakes;
}

/**
 * What a store delivers to `subscribe`: `expected` with push, nothing without (its `subscribe` is a
 * no-op and workers poll).
 */
export function ifPush<T>(scheduler: Scheduler, expected: T[]): T[] {
  return scheduler.capabilities.push ? expected : [];
}

/** Lets queued microtasks and timers run (own wake-ups are delivered in microtasks). */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
