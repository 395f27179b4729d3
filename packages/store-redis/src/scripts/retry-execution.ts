import { defineScript } from "./prelude.js";

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
dropUnfinishedSteps(id)
syncDue(id, row)
publish("retry", id, origin)
return 1
`,
);
