import { rateWindow } from "@zart/core/store";

/**
 * Fixed-window start counters of rate limits (and gates), by key: at most `limit` takes per
 * window `floor(now / periodMs)`. Windows that have ended are dropped as new ones open.
 */
export class RateWindows {
  /** `<window start>\n<key>` → takes counted in that window, with the window's end. */
  readonly #counts = new Map<string, { end: number; count: number }>();

  /**
   * Takes one from `key`'s window at `now`: `undefined` when it had room (counted), else the
   * window's end (nothing counted).
   */
  take(key: string, now: number, limit: number, periodMs: number): number | undefined {
    const { start, end } = rateWindow(now, periodMs);
    const id = `${start}\n${key}`;
    let window = this.#counts.get(id);
    if (window === undefined) {
      for (const [other, { end: otherEnd }] of this.#counts) if (otherEnd <= now) this.#counts.delete(other);
      window = { end, count: 0 };
      this.#counts.set(id, window);
    }
    if (window.count >= limit) return end;
    window.count++;
    return undefined;
  }
}
