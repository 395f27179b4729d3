import { defineScript } from "./prelude.js";

/**
 * Fenced: extends the lease of an execution (or of a child when `position` is given) to
 * `now + leaseMs`, moving its due-set entry along (the entry is what lets another worker reclaim
 * it once expired). Token mismatch → `ZART_LEASE_LOST`, nothing written.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position ("" = the execution), leaseMs, now.
 */
export const renewLeaseScript = defineScript(
  "zartRenewLease",
  `
local id, token, position = ARGV[2], ARGV[3], ARGV[5]
local expiresAt = ms(tonumber(ARGV[7]) + tonumber(ARGV[6]))
if present(position) then
  fenceChild(id, position, token, nil)
  redis.call("ZADD", DUE, expiresAt, childMember(id, position))
else
  local row = fence(id, token, nil)
  hset(id, row, "leaseExpiresAt", expiresAt)
  syncDue(id, row)
end
return 1
`,
);

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
