import { defineScript } from "./prelude.js";

/**
 * Fenced: `failed` with `error` at `now`, lease cleared, unsettled children cancelled (their
 * leases cleared, so their workers' settles are rejected).
 *
 * A child execution wakes its parent if it is parked on child executions (publishing `child`); the
 * reply is then the parent's id instead of 1.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, error (JSON text), data (opt), timeoutAt (opt),
 * now, origin.
 */
export const failExecutionScript = defineScript(
  "zartFailExecution",
  `
local id, request, errorJson, now = ARGV[2], ARGV[4], ARGV[5], ARGV[8]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return 1 end
applyPatch(id, row, ARGV[6], ARGV[7])
hset(id, row, "error", errorJson)
finish(id, row, "failed", now)
releasedBy(id, row, request)
dropUnsettledChildren(id, now)
return wakeParent(row, now, ARGV[9]) or 1
`,
);
