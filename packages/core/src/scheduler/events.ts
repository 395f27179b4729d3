/**
 * Contract types of single-name events: `offerEvent` (the client side, signal-with-start included)
 * and `awaitEvent` (the worker side). Waits on several names are in `./any-event.ts`.
 */
import type { NewExecution } from "./client-verbs.js";
import type { SerializedError } from "./records.js";

export interface OfferEventInput {
  executionId: string;
  eventName: string;
  /** JSON text of the payload. */
  payload: string;
  /** An offer repeating an accepted key for the same execution is a `"duplicate"`. */
  idempotencyKey?: string;
  /**
   * Signal-with-start: when the execution is unknown or terminal (and the key is not a duplicate),
   * create it from this (its `executionId` is the offer's) in the same transaction, by the rules of
   * `createExecution`, then append the event to the new run's mailbox.
   */
  startIfMissing?: NewExecution;
}

export type OfferOutcome = "delivered" | "duplicate";

export interface AwaitEventInput {
  position: number;
  stepName: string;
  eventName: string;
  deadline?: Date;
  /** The execution's wake time if it parks: `min(deadline, timeoutAt)`; absent = only the event. */
  wakeAt?: Date;
  timeoutError: SerializedError;
}

export type EventWaitOutcome =
  | { outcome: "received"; payload?: string }
  | { outcome: "timeout" }
  | { outcome: "suspended" };
