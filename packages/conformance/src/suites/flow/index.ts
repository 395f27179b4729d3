import { defineSuite } from "../../define-suite.js";
import { CONCURRENCY_LIMITS_TESTS, concurrencyLimitsSuite } from "./concurrency-limits.js";
import { DEBOUNCE_TESTS, debounceSuite } from "./debounce.js";
import { GATES_TESTS, gatesSuite } from "./gates.js";
import { PRIORITIES_TESTS, prioritiesSuite } from "./priorities.js";
import { QUEUE_VISIBILITY_TESTS, queueVisibilitySuite } from "./queue-visibility.js";
import { RATE_LIMITS_TESTS, rateLimitsSuite } from "./rate-limits.js";
import { RETRY_AFTER_TESTS, retryAfterSuite } from "./retry-after.js";

/** Issue #14, flow control: retry-after, priorities, concurrency and rate limits, debounce. */
export const flowControlSuite = defineSuite(
  "flow-control",
  [
    ...RETRY_AFTER_TESTS,
    ...PRIORITIES_TESTS,
    ...CONCURRENCY_LIMITS_TESTS,
    ...RATE_LIMITS_TESTS,
    ...GATES_TESTS,
    ...DEBOUNCE_TESTS,
    ...QUEUE_VISIBILITY_TESTS,
  ],
  (h, test) => {
    retryAfterSuite(h, test);
    prioritiesSuite(h, test);
    concurrencyLimitsSuite(h, test);
    rateLimitsSuite(h, test);
    gatesSuite(h, test);
    debounceSuite(h, test);
    queueVisibilitySuite(h, test);
  },
);
