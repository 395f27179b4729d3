import { defineScript } from "./prelude.js";

/**
 * Fenced by the child's lease: parks a failed attempt of a parallel child: `pending` with the error,
 * attempts and `wakeAt` recorded, lease cleared, and its member back in the due set scored by
 * `wakeAt`, so the claim (which reads the due set up to `now`) takes it only once the backoff ended.
 * Token mismatch → `ZART_LEASE_LOST`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position, error, attempts, wakeAt.
 */
export const retryChildScript = defineScript(
  "zartRetryChild",
  `
local id, token, request, position, wakeAt = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[8]
local _, step, repeated = fenceChild(id, position, token, request)
if repeated then return 1 end
step.status = "pending"
step.error = ARGV[6]
step.attempts = tonumber(ARGV[7])
step.wakeAt = tonumber(wakeAt)
step.leaseToken = nil
step.lastRequest = request
redis.call("HSET", key("steps", id), position, cjson.encode(step))
redis.call("ZADD", DUE, wakeAt, childMember(id, position))
return 1
`,
);
