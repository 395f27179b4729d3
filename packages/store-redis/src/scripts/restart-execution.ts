import { defineScript } from "./prelude.js";

/**
 * The operator's retry of a failed or cancelled execution: every step that is not `completed` is
 * deleted (completed ones stay, to be replayed), and the execution becomes `pending`, due now, at
 * attempt 0, with its error, end time, task deadline, wait and lease cleared. Unknown →
 * `ZART_NOT_FOUND`; another status → `ZART_NOT_RETRYABLE`. A repeated delivery of the same call
 * (same request id) answers the row again. Publishes `retry`. Returns the row (flat).
 *
 * KEYS[1] = row key. ARGV = base, id, now, origin, request.
 */
export const restartExecutionScript = defineScript(
  "zartRestartExecution",
  `
local id, now, origin, request = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local row = readRow(id)
if row == nil then fail("NOT_FOUND", id) end
if row.restartRequest == request then return redis.call("HGETALL", key("row", id)) end
if row.status ~= "failed" and row.status ~= "cancelled" then fail("NOT_RETRYABLE", id .. ":" .. row.status) end
dropUnfinishedSteps(id)
setStatus(id, row, "pending")
hset(id, row, "attempt", "0")
hset(id, row, "runAt", now)
for _, field in ipairs({ "error", "completedAt", "timeoutAt", "waitReason", "waitEvent" }) do
  hdel(id, row, field)
end
clearLease(id, row)
hset(id, row, "restartRequest", request)
syncDue(id, row)
publish("retry", id, origin)
return redis.call("HGETALL", key("row", id))
`,
);
