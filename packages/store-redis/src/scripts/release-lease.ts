import { defineScript } from "./prelude.js";

/**
 * Fenced: gives a unit back without progress (graceful worker stop): an execution becomes `pending`
 * due now, a child `pending` due now; lease cleared. Publishes `released`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position ("" = the execution), now, origin.
 */
export const releaseLeaseScript = defineScript(
  "zartReleaseLease",
  `
local id, token, request, position, now, origin = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if present(position) then
  local _, step, repeated = fenceChild(id, position, token, request)
  if repeated then return 1 end
  step.status = "pending"
  step.leaseToken = nil
  step.lastRequest = request
  redis.call("HSET", key("steps", id), position, cjson.encode(step))
  redis.call("ZADD", DUE, now, childMember(id, position))
else
  local row, repeated = fence(id, token, request)
  if repeated then return 1 end
  clearLease(id, row)
  releasedBy(id, row, request)
  setStatus(id, row, "pending")
  hset(id, row, "runAt", now)
  syncDue(id, row)
end
publish("released", id, origin)
return 1
`,
);
