import { type RateTokenOutcome, type RateTokenRequest, rateWindow } from "@zart/core/store";
import type { RedisContext } from "../db/context.js";

/** Counts one token in the key's current window if it has room, in one script. */
export async function takeRateToken(
  ctx: RedisContext,
  request: RateTokenRequest,
  now: Date,
): Promise<RateTokenOutcome> {
  const { start, end } = rateWindow(now.getTime(), request.periodMs);
  const taken = await ctx.executor.runGlobal("takeRateToken", [request.key, start, end, request.limit]);
  return taken === 1 ? { taken: true } : { taken: false, retryAt: new Date(end) };
}
