import { defineScript } from "./prelude.js";

/**
 * Fenced: gives a unit back without progress (graceful worker stop): an execution becomes `pending`
 * due now, a child `pending` due now; lease cleared. Publishes `released`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, position ("" = the execution), now, origin.
 */
export const releaseLeaseScript = defineScript(
  "zartReleaseLease",
  `
local id, token, position, now, origin = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if present(position) then
  local _, step = fenceChild(id, position, token)
  step.status = "pending"
  step.leaseToken = nil
  redis.call("HSET", key("steps", id), position, cjson.encode(step))
  redis.call("ZADD", DUE, now, childMember(id, position))
else
  local row = fence(id, token)
  clearLease(id, row)
  setStatus(id, row, "pending")
  hset(id, row, "runAt", now)
  syncDue(id, row)
end
publish("released", id, origin)
return 1
`,
);
