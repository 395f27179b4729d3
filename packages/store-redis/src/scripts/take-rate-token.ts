import { defineScript } from "./prelude.js";

/**
 * Counts one token in `rate:<key>:<window start>` if it holds fewer than `limit` (the script runs
 * alone, so racing takers are exact), expiring the counter at the window's end. Returns 1 when
 * taken, 0 when the window is full.
 *
 * KEYS[1] = due key (routing). ARGV = base, key, window start, window end, limit.
 */
export const takeRateTokenScript = defineScript(
  "zartTakeRateToken",
  `
local counter = base .. "rate:" .. ARGV[2] .. ":" .. ARGV[3]
if tonumber(redis.call("GET", counter) or "0") >= tonumber(ARGV[5]) then return 0 end
redis.call("INCR", counter)
redis.call("PEXPIREAT", counter, ARGV[4])
return 1
`,
);
