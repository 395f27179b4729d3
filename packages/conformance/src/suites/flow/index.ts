import type { Harness } from "../../harness.js";
import { concurrencyLimitsSuite } from "./concurrency-limits.js";
import { prioritiesSuite } from "./priorities.js";
import { retryAfterSuite } from "./retry-after.js";

/** Issue #14, flow control: retry-after, priorities, concurrency and rate limits. */
export function flowControlSuite(h: Harness): void {
  retryAfterSuite(h);
  prioritiesSuite(h);
  concurrencyLimitsSuite(h);
}
