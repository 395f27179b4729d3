import { deserializeError, serializeError } from "../error-serialization.js";
import { EventTimeoutError, ValidationError } from "../errors.js";
import { fromJsonText } from "../json.js";
import type { StepRecord } from "../scheduler/records.js";
import { assertId, type StandardSchema, validateWith } from "../validation.js";
import type { RunState } from "./run-state.js";

/** The event `ctx.waitForAnyEvent` resolves with. */
export interface ReceivedEvent<N extends string = string, T = unknown> {
  name: N;
  payload: T;
}

function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}

/** The names of a wait: a non-empty list of distinct event names, else `ValidationError`. */
function checkNames(names: readonly string[]): void {
  if (!Array.isArray(names) || names.length === 0) {
    throw new ValidationError("waitForAnyEvent needs a non-empty array of event names.");
  }
  for (const name of names) assertId(name, "event name");
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw new ValidationError(`waitForAnyEvent lists the event name "${duplicate}" twice.`);
  }
}

/**
 * Waits for the first event offered among `names` (offer order decides, across names), consumes
 * that one only, and resolves with its name and payload; `EventTimeoutError` once the persisted
 * deadline passes. One atomic store call (`awaitAnyEvent`) decides the outcome; the step's result
 * (`{ name, payload }`) answers every replay.
 */
export async function waitForAnyEvent(
  state: RunState,
  names: readonly string[],
  timeoutMs: number | undefined,
  schemas: Readonly<Record<string, StandardSchema | undefined>>,
): Promise<ReceivedEvent> {
  checkNames(names);
  const { position, stepName, recorded } = state.claimSlot(names.join("|"), "event");
  try {
    await state.enterOperation();
    const timeoutError = () => new EventTimeoutError(names.join(", "));
    const deliver = async (name: string, payloadText: string): Promise<ReceivedEvent> => {
      const schema = schemas[name];
      if (!schema) return { name, payload: fromJsonText(payloadText) };
      try {
        const payload = await validateWith(
          schema,
          fromJsonText(payloadText),
          `The "${name}" event's payload`,
        );
        return { name, payload };
      } catch (error) {
        // The failure becomes the wait's outcome: replay (and status) show the same error.
        if (!state.replayOnly) await saveFailure(state, position, stepName, recorded, error);
        throw error;
      }
    };
    if (recorded?.status === "completed") {
      const { name, payload } = fromJsonText<{ name: string; payload: unknown }>(recorded.result);
      return await deliver(name, JSON.stringify(payload));
    }
    if (recorded?.status === "failed" && recorded.error) throw deserializeError(recorded.error);
    if (state.replayOnly) return state.park({ kind: "replay-end" });

    const deadline =
      recorded?.wakeAt ?? (timeoutMs === undefined ? undefined : new Date(state.now().getTime() + timeoutMs));
    const wakeAt = earliest(deadline, state.timeoutAt);
    const outcome = await state.writes.awaitAnyEvent({
      position,
      stepName,
      eventNames: names,
      ...(deadline ? { deadline } : {}),
      ...(wakeAt ? { wakeAt } : {}),
      timeoutError: serializeError(timeoutError()),
    });
    switch (outcome.outcome) {
      case "received":
        return await deliver(outcome.eventName, outcome.payload);
      case "timeout":
        throw timeoutError();
      case "suspended":
        return state.park({ kind: "suspended", ...(wakeAt ? { wakeAt } : {}) });
    }
  } finally {
    state.operations.leave();
  }
}

async function saveFailure(
  state: RunState,
  position: number,
  stepName: string,
  recorded: StepRecord | undefined,
  error: unknown,
): Promise<void> {
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
