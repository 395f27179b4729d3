import { defineScript } from "./prelude.js";

/**
 * Fenced: `completed` with `result` (absent = `undefined`) at `now`, lease cleared, and the error of
 * an earlier failed attempt dropped (a completed execution has no error). Children still
 * unsettled leave the due set (a finished parent's children are never claimed).
 *
 * KEYS[1] = row key. ARGV = base, id, token, result (opt), data (opt), timeoutAt (opt), now.
 */
export const completeExecutionScript = defineScript(
  "zartCompleteExecution",
  `
local id, result, now = ARGV[2], opt(ARGV[4]), ARGV[7]
local row = fence(id, ARGV[3])
applyPatch(id, row, ARGV[5], ARGV[6])
if result ~= nil then hset(id, row, "result", result) else hdel(id, row, "result") end
hdel(id, row, "error")
finish(id, row, "completed", now)
dropUnsettledChildren(id, nil)
return 1
`,
);
