import { defineScript } from "./prelude.js";

/**
 * Fenced: `failed` with `error` at `now`, lease cleared, unsettled children cancelled (their
 * leases cleared, so their workers' settles are rejected).
 *
 * KEYS[1] = row key. ARGV = base, id, token, error (JSON text), data (opt), timeoutAt (opt), now.
 */
export const failExecutionScript = defineScript(
  "zartFailExecution",
  `
local id, errorJson, now = ARGV[2], ARGV[4], ARGV[7]
local row = fence(id, ARGV[3])
applyPatch(id, row, ARGV[5], ARGV[6])
hset(id, row, "error", errorJson)
finish(id, row, "failed", now)
dropUnsettledChildren(id, now)
return 1
`,
);
