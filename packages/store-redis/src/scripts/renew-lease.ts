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
