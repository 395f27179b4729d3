import { deserializeError } from "../error-serialization.js";
import { messageOf, StepFailedError } from "../errors.js";
import { fromJsonText } from "../json.js";
import type { RetryConfig } from "../retry.js";
import type { StepRecord } from "../scheduler/records.js";
import type { RunState } from "./run-state.js";

/** A scheduled parallel step; pass it to `ctx.waitAll` / `ctx.waitAllSettled`. */
export interface StepHandle<T = unknown> {
  readonly name: string;
  readonly position: number;
  /** Type carrier only. */
  readonly __result?: T;
}

export type SettledStep<T> = { status: "fulfilled"; value: T } | { status: "rejected"; reason: Error };

export type HandleResults<H extends readonly StepHandle[]> = {
  [K in keyof H]: H[K] extends StepHandle<infer T> ? T : never;
};
export type HandleSettled<H extends readonly StepHandle[]> = {
  [K in keyof H]: H[K] extends StepHandle<infer T> ? SettledStep<T> : never;
};

/** The body of a parallel step, kept so a child run can execute it. */
export interface ScheduledBody {
  fn: () => Promise<unknown> | unknown;
  retry: RetryConfig | undefined;
}

/**
 * Registers a parallel step. Nothing is written yet: the next `waitAll`/`waitAllSettled` dispatches
 * every handle it is given as its own claimable unit. The body runs in a child run: the task is
 * replayed up to this call, which hands the body to the engine.
 */
export function scheduleStep<T>(
  state: RunState,
  name: string,
  fn: () => Promise<T> | T,
  retry: RetryConfig | undefined,
): StepHandle<T> {
  const { position, stepName } = state.claimSlot(name, "parallel");
  state.offerChildBody(position, { fn, retry });
  return { name: stepName, position };
}

/** Waits until every handle has settled; the parent is parked (no worker slot) meanwhile. */
export async function waitAllSettled<H extends readonly StepHandle[]>(
  state: RunState,
  handles: H,
): Promise<HandleSettled<H>> {
  state.operations.enterWait(handles.map((handle) => handle.position));
  try {
    return await settleAll(state, handles);
  } finally {
    state.operations.leave();
  }
}

async function settleAll<H extends readonly StepHandle[]>(
  state: RunState,
  handles: H,
): Promise<HandleSettled<H>> {
  await state.enterOperation();
  let rows = handles.map((handle) => state.history.get(handle.position));
  if (!rows.every(isSettled)) {
    if (state.replayOnly) return state.park({ kind: "replay-end" });
    const children = handles
      .filter((_, i) => rows[i] === undefined)
      .map((handle) => ({ position: handle.position, name: handle.name }));
    const outcome = await state.writes.dispatchChildren({
      children,
      ...(state.timeoutAt ? { wakeAt: state.timeoutAt } : {}),
    });
    if (outcome.suspended)
      return state.park({ kind: "suspended", ...(state.timeoutAt ? { wakeAt: state.timeoutAt } : {}) });
    const byPosition = new Map(outcome.children.map((row) => [row.position, row]));
    rows = handles.map((handle) => byPosition.get(handle.position));
  }
  return rows.map((row) => toSettled(row)) as HandleSettled<H>;
}

/** Results in handle order, or `StepFailedError` listing every failed child once all have settled. */
export async function waitAll<H extends readonly StepHandle[]>(
  state: RunState,
  handles: H,
): Promise<HandleResults<H>> {
  const settled = await waitAllSettled(state, handles);
  const failed = settled.flatMap((result, i) =>
    result.status === "rejected" ? [{ handle: handles[i]!, reason: result.reason }] : [],
  );
  if (failed.length > 0) {
    const names = failed.map((f) => f.handle.name);
    throw new StepFailedError(
      `${failed.length} of ${handles.length} parallel steps failed: ${failed.map((f) => `"${f.handle.name}" (${messageOf(f.reason)})`).join(", ")}`,
      { cause: failed[0]!.reason, details: { failedSteps: names } },
    );
  }
  return settled.map((result) => (result as { value: unknown }).value) as HandleResults<H>;
}

function isSettled(row: StepRecord | undefined): boolean {
  return row?.status === "completed" || row?.status === "failed" || row?.status === "cancelled";
}

function toSettled(row: StepRecord | undefined): SettledStep<unknown> {
  if (row?.status === "completed") return { status: "fulfilled", value: fromJsonText(row.result) };
  const reason = row?.error
    ? deserializeError(row.error)
    : new StepFailedError(`Parallel step "${row?.name ?? "?"}" was ${row?.status ?? "lost"}.`);
  return { status: "rejected", reason };
}
