import { WAKE_REASONS, type WakeReason, type WakeUp } from "@zart/core/store";

const REASONS: ReadonlySet<string> = new Set<WakeReason>(WAKE_REASONS);

/**
 * The NOTIFY payload of a wake-up: `{"r": reason, "e": executionId, "s": sender}`. `s` is the id
 * of the scheduler instance that sent it, which already delivered it to its own subscribers and
 * ignores its own notification. Execution ids are at most 255 characters, well inside NOTIFY's
 * 8000-byte payload limit.
 */
export function encodeWakeUp(reason: WakeReason, executionId: string, sender: string): string {
  return JSON.stringify({ r: reason, e: executionId, s: sender });
}

/** The wake-up in a NOTIFY payload and who sent it, or `undefined` when it is not ours. */
export function decodeWakeUp(payload: string | undefined): { wake: WakeUp; sender: string } | undefined {
  if (payload === undefined) return undefined;
  try {
    const value = JSON.parse(payload) as { r?: unknown; e?: unknown; s?: unknown };
    if (typeof value.r !== "string" || !REASONS.has(value.r) || typeof value.e !== "string") return undefined;
    return {
      wake: { reason: value.r as WakeReason, executionId: value.e },
      sender: typeof value.s === "string" ? value.s : "",
    };
  } catch {
    return undefined;
  }
}
