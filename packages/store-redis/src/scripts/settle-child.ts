import { defineScript } from "./prelude.js";

/**
 * Fenced by the child's lease: records the child's outcome and, in the same script, if no child is
 * left unsettled and the parent waits on its children, makes the parent due now and publishes
 * `child`. Only one settle can be the last (the parent stops waiting on children), so exactly one
 * wakes it. Returns 1 when it woke the parent. Token mismatch → `ZART_LEASE_LOST`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position, status, result (opt), error (opt),
 * attempts, now, origin.
 */
export const settleChildScript = defineScript(
  "zartSettleChild",
  `
local id, token, request, position, now, origin = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[10], ARGV[11]
local row, step, repeated = fenceChild(id, position, token, request)
if repeated then return 0 end
local settled = { position = step.position, name = step.name, kind = step.kind, status = ARGV[6],
  attempts = tonumber(ARGV[9]), startedAt = step.startedAt, completedAt = tonumber(now),
  result = opt(ARGV[7]), error = opt(ARGV[8]), lastRequest = request }
writeStep(id, settled)
if row.status == "waiting" and row.waitReason == "children"
    and redis.call("SCARD", key("unsettled", id)) == 0 then
  makeDue(id, row, now)
  publish("child", id, origin)
  return 1
end
return 0
`,
);

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
