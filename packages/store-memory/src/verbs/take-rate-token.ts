import type { RateTokenOutcome, RateTokenRequest } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";

/** Counts one token in the key's current window if it has room (synchronous, hence atomic). */
export function takeRateToken(ctx: MemoryContext, request: RateTokenRequest, now: Date): RateTokenOutcome {
  const full = ctx.storage.rateWindows.take(request.key, now.getTime(), request.limit, request.periodMs);
  return full === undefined ? { taken: true } : { taken: false, retryAt: new Date(full) };
}
