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
