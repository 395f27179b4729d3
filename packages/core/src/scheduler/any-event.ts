/**
 * Contract pieces of a wait on the first of several events (`ctx.waitForAnyEvent`). Event names
 * never contain control characters (`assertId`), so a newline separates them unambiguously.
 */
import type { SerializedError } from "./records.js";

/** What `awaitAnyEvent` waits for: the first offered event among `eventNames`, recorded at `position`. */
export interface AwaitAnyEventInput {
  position: number;
  stepName: string;
  /** At least one name, no duplicates. */
  eventNames: readonly string[];
  deadline?: Date;
  /** The execution's wake time if it parks: `min(deadline, timeoutAt)`; absent = only an event. */
  wakeAt?: Date;
  timeoutError: SerializedError;
}

/** `received`: the consumed event's name and payload (JSON text). */
export type AnyEventWaitOutcome =
  | { outcome: "received"; eventName: string; payload: string }
  | { outcome: "timeout" }
  | { outcome: "suspended" };

/** Separates the names of an any-event wait in `ExecutionRecord.waitEvent`. */
export const WAIT_EVENT_SEPARATOR = "\n";

/** `waitEvent` of an execution parked on any of `eventNames`. */
export function joinWaitEvents(eventNames: readonly string[]): string {
  return eventNames.join(WAIT_EVENT_SEPARATOR);
}

/** Whether an execution parked with `waitEvent` waits on `eventName` (alone or among others). */
export function waitsOnEvent(waitEvent: string | undefined, eventName: string): boolean {
  return waitEvent?.split(WAIT_EVENT_SEPARATOR).includes(eventName) ?? false;
}

/**
 * The step result an any-event wait records: `{"name":…,"payload":…}` with the payload's JSON text
 * embedded as it was offered.
 */
export function anyEventResult(eventName: string, payload: string): string {
  return `{"name":${JSON.stringify(eventName)},"payload":${payload}}`;
}
