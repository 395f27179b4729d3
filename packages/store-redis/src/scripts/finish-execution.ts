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

/**
 * Fenced: ends the task attempt for a retry at `runAt`: `attempt + 1`, `pending`, `error` recorded,
 * lease cleared, and every step that is not `completed` deleted (children too, which fences off
 * their workers). Publishes `retry`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, error (JSON text), runAt, data (opt),
 * timeoutAt (opt), origin.
 */
export const retryExecutionScript = defineScript(
  "zartRetryExecution",
  `
local id, request, errorJson, runAt, origin = ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[9]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return 1 end
applyPatch(id, row, ARGV[7], ARGV[8])
hset(id, row, "attempt", ms(tonumber(row.attempt) + 1))
setStatus(id, row, "pending")
hset(id, row, "runAt", runAt)
hset(id, row, "error", errorJson)
hset(id, row, "waitReason", "retry")
hdel(id, row, "waitEvent")
clearLease(id, row)
releasedBy(id, row, request)
local flat = redis.call("HGETALL", key("steps", id))
for i = 1, #flat, 2 do
  local step = cjson.decode(flat[i + 1])
  if step.status ~= "completed" then
    redis.call("HDEL", key("steps", id), flat[i])
    redis.call("SREM", key("unsettled", id), flat[i])
    redis.call("ZREM", DUE, childMember(id, flat[i]))
  end
end
syncDue(id, row)
publish("retry", id, origin)
return 1
`,
);

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
