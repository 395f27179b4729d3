import { defineScript } from "./prelude.js";

/**
 * Fenced: `completed` with `result` (absent = `undefined`) at `now`, lease cleared, and the error of
 * an earlier failed attempt dropped (a completed execution has no error). Children still
 * unsettled leave the due set (a finished parent's children are never claimed).
 *
 * A child execution wakes its parent if it is parked on child executions (publishing `child`); the
 * reply is then the parent's id instead of 1.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, result (opt), data (opt), timeoutAt (opt), now,
 * origin.
 */
export const completeExecutionScript = defineScript(
  "zartCompleteExecution",
  `
local id, request, result, now = ARGV[2], ARGV[4], opt(ARGV[5]), ARGV[8]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return 1 end
applyPatch(id, row, ARGV[6], ARGV[7])
if result ~= nil then hset(id, row, "result", result) else hdel(id, row, "result") end
hdel(id, row, "error")
finish(id, row, "completed", now)
releasedBy(id, row, request)
dropUnsettledChildren(id, nil)
return wakeParent(row, now, ARGV[9]) or 1
`,
);
