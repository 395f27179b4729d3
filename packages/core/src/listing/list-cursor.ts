import { ValidationError } from "../errors.js";
import type { ListPosition } from "../scheduler/client-verbs.js";

/**
 * The opaque `cursor` of keyset pagination: base64url of `[createdAt millis, executionId]`, the
 * last row of the page before. Clients must not build or parse it; its format may change.
 */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.executionId])).toString(
    "base64url",
  );
}

/** The position a cursor names; anything that is not a cursor this module made → `ValidationError`. */
export function decodeCursor(cursor: string): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    Number.isSafeInteger(parsed[0]) &&
    typeof parsed[1] === "string" &&
    parsed[1].length > 0
  ) {
    return { createdAt: new Date(parsed[0] as number), executionId: parsed[1] };
  }
  throw new ValidationError("cursor is not a cursor returned by a list call (nextCursor).");
}
