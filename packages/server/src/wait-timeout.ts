import { toMillis } from "@zart/core";
import { ApiError } from "./api-error.js";

/** Default hold time of `GET /executions/{id}/wait`. */
export const DEFAULT_WAIT_MS = 30_000;
/** Longest hold time of `GET /executions/{id}/wait` (5 minutes); above it is a 400. */
export const MAX_WAIT_MS = 300_000;

/**
 * Parses the `timeout` query parameter: a duration (`500ms`, `30s`, `5m`) or a bare number of
 * milliseconds; absent → 30 s. Over 5 minutes → `400 VALIDATION`.
 */
export function parseWaitTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_WAIT_MS;
  const ms = /^\d+(\.\d+)?$/.test(raw) ? Math.round(Number(raw)) : toMillis(raw, "timeout");
  if (ms > MAX_WAIT_MS) {
    throw new ApiError(
      400,
      "VALIDATION",
      `timeout=${raw} is over the 5-minute maximum; wait again instead.`,
      {
        maxMs: MAX_WAIT_MS,
      },
    );
  }
  return ms;
}
