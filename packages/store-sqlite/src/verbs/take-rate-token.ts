import type { RateTokenOutcome, RateTokenRequest } from "@zart/core/store";
import type { SqliteContext } from "../db/context.js";
import { takeToken } from "../db/rate-windows.js";

/** Counts one token in the key's current window if it has room, in one write transaction. */
export async function takeRateToken(
  ctx: SqliteContext,
  request: RateTokenRequest,
  now: Date,
): Promise<RateTokenOutcome> {
  return ctx.write(() => {
    const end = takeToken(ctx.orm, request, now.getTime());
    return end === undefined ? { taken: true } : { taken: false, retryAt: new Date(end) };
  });
}
