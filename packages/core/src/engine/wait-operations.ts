import { deserializeError, serializeError } from "../error-serialization.js";
import { EventTimeoutError } from "../errors.js";
import { fromJsonText } from "../json.js";
import { type StandardSchema, validateWith } from "../validation.js";
import type { RunState } from "./run-state.js";

function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/**
 * Durable sleep until `until`. The deadline is persisted with the first suspension and read back
 * on replay, so a replay never extends it. The execution holds no worker slot while it sleeps.
 */
export async function sleepUntil(state: RunState, name: string, until: Date): Promise<void> {
  const { position, stepName, recorded } = state.claimSlot(name, "sleep");
  try {
    await state.enterOperation();
    if (recorded?.status === "completed") return;
    if (state.replayOnly) return state.park({ kind: "replay-end" });
    const wakeAt = recorded?.wakeAt ?? until;
    const step = { position, name: stepName, kind: "sleep" as const, attempts: 1, wakeAt };
    const startedAt = recorded?.startedAt ?? state.now();
    if (state.now() >= wakeAt) {
      await state.writes.saveStep({ ...step, status: "completed", startedAt, completedAt: state.now() });
      return;
    }
    return state.writes.suspend({
      step: { ...step, status: "waiting", startedAt },
      wakeAt: earliest(wakeAt, state.timeoutAt) ?? wakeAt,
      reason: "sleep",
    });
  } finally {
    state.operations.leave();
  }
}

/**
 * Waits for the next event `eventName` in the execution's mailbox, or throws `EventTimeoutError`
 * once the persisted deadline passes. One atomic store call decides the outcome.
 */
export async function waitForEvent<T>(
  state: RunState,
  eventName: string,
  timeoutMs: number | undefined,
  schema: StandardSchema<T> | undefined,
): Promise<T> {
  const { position, stepName, recorded } = state.claimSlot(eventName, "event");
  try {
    await state.enterOperation();
    const validate = async (text: string | undefined): Promise<T> => {
      if (!schema) return fromJsonText<T>(text);
      try {
        return await validateWith(schema, fromJsonText(text), `The "${eventName}" event's payload`);
      } catch (error) {
        // The failure becomes the wait's outcome: replay (and status) show the same error.
        if (!state.replayOnly) {
          await state.writes.saveStep({
            position,
            name: stepName,
            kind: "event",
            status: "failed",
            error: serializeError(error),
            attempts: recorded?.attempts ?? 1,
            ...(recorded?.startedAt ? { startedAt: recorded.startedAt } : {}),
            completedAt: state.now(),
          });
        }
        throw error;
      }
    };
    if (recorded?.status === "completed") return await validate(recorded.result);
    if (recorded?.status === "failed" && recorded.error) throw deserializeError(recorded.error);
    if (state.replayOnly) return state.park({ kind: "replay-end" });

    const deadline =
      recorded?.wakeAt ?? (timeoutMs === undefined ? undefined : new Date(state.now().getTime() + timeoutMs));
    const wakeAt = earliest(deadline, state.timeoutAt);
    const outcome = await state.writes.awaitEvent({
      position,
      stepName,
      eventName,
      ...(deadline ? { deadline } : {}),
      ...(wakeAt ? { wakeAt } : {}),
      timeoutError: serializeError(new EventTimeoutError(eventName)),
    });
    switch (outcome.outcome) {
      case "received":
        return await validate(outcome.payload);
      case "timeout":
        throw new EventTimeoutError(eventName);
      case "suspended":
        return state.park({ kind: "suspended", ...(wakeAt ? { wakeAt } : {}) });
    }
  } finally {
    state.operations.leave();
  }
}
