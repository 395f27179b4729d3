import { type RateTokenOutcome, type RateTokenRequest, rateWindow } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

/**
 * Counts one token in `key`'s fixed window `floor(now / periodMs)` when it holds fewer than `limit`
 * (the claim's rate limits and `ctx.gate` share these counters). Synchronous, hence atomic.
 */
export function takeToken(
  storage: TutorialStorage,
  key: string,
  limit: number,
  periodMs: number,
  now: number,
) {
  const { start, end } = rateWindow(now, periodMs);
  const id = `${start}\n${key}`;
  const window = storage.rateWindows.get(id) ?? { end, count: 0 };
  if (window.count >= limit) return { taken: false as const, end };
  for (const [other, { end: otherEnd }] of storage.rateWindows) {
    if (otherEnd <= now) storage.rateWindows.delete(other);
  }
  window.count++;
  storage.rateWindows.set(id, window);
  return { taken: true as const, end };
}

export function takeRateToken(
  storage: TutorialStorage,
  request: RateTokenRequest,
  now: Date,
): RateTokenOutcome {
  const token = takeToken(storage, request.key, request.limit, request.periodMs, now.getTime());
  return token.taken ? { taken: true } : { taken: false, retryAt: new Date(token.end) };
}
