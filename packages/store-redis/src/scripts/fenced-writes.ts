import { defineScript } from "./prelude.js";

/** Arguments per write in the fenced-writes script: op, id, token, data, timeoutAt, then four by op. */
export const FENCED_WRITE_WIDTH = 9;

/**
 * The hot path: a batch of fenced worker writes of one scheduler (step writes, completions,
 * failures), possibly of many executions, in ONE script call: one round trip, one script run.
 * Each write is fenced on its own (its lease token), checked before it writes anything, and
 * answers on its own: 1, the id of the parent a completion or failure woke, or an error reply
 * (`ZART_LEASE_LOST|…|`) for that write alone; the other writes of the batch go on. Writes apply in
 * batch order, so two writes of one execution keep their call order.
 *
 * - `step`: inserts or replaces the step at `position` and applies the patch. A repeated delivery
 *   writes the same values again: harmless.
 * - `complete`: `completed` with `result` (absent = `undefined`) at `now`, lease cleared, the error
 *   of an earlier failed attempt dropped; unsettled children leave the due set.
 * - `fail`: `failed` with `error` (JSON text) at `now`, lease cleared, unsettled children cancelled
 *   (their leases cleared, so their workers' settles are rejected).
 *
 * A completion or failure of a child execution wakes its parent if it is parked on child
 * executions (publishing `child`). Its request id is `<batch id>.<n>` (n: its place in the batch),
 * so a repeated delivery of the batch (ioredis re-sends an unanswered command after a reconnect)
 * finds each finished write by it and answers 1 without writing again.
 *
 * KEYS[1] = due key (routing only). ARGV = base, batch id, origin, writes: a JSON array of
 * strings, per write (`FENCED_WRITE_WIDTH` each): op, id, token, data (opt), timeoutAt (opt), and
 * - step: position, kind, status, stepJson;
 * - complete: result (opt), now, "", "";
 * - fail: errorJson, now, "", "".
 */
export const fencedWritesScript = defineScript(
  "zartFencedWrites",
  `
local batch, origin = ARGV[2], ARGV[3]
local W = cjson.decode(ARGV[4])

local function saveStep(id, token, data, timeoutAt, position, kind, status, json)
  fenceToken(id, token)
  putStep(id, position, json, kind, status)
  applyPatch(id, {}, data, timeoutAt)
  return 1
end

-- finish() for the hot path, in one HSET (patch included) and one HDEL, without its generic sets
-- and drops tables: a row the lease holds is never terminal, so the status always moves. The row
-- is read with one HMGET of the fields the fence and the index moves need (not HGETALL: the reply
-- of a whole row, payload included, costs Redis more to build and Lua more to take in), and the
-- fields a finished row must not keep are deleted whether present or not.
local FINISH_READ = { "token", "lastRequest", "status", "taskName", "createdAt", "priority", "concurrencyKey",
  "parentId" }
local LEASE_AND_WAIT = { "waitReason", "waitEvent", "token", "leaseOwner", "leaseExpiresAt" }
-- By the field the write sets: a completion drops an earlier attempt's error (and, without a
-- result, any result); a failure keeps the row's result, as on every store.
local FINISH_DROPS = {
  result = { "error", unpack(LEASE_AND_WAIT) },
  error = LEASE_AND_WAIT,
  none = { "result", "error", unpack(LEASE_AND_WAIT) },
}
local function finishWith(status, id, token, request, data, timeoutAt, value, now)
  local rowKey = key("row", id)
  local f = redis.call("HMGET", rowKey, unpack(FINISH_READ))
  -- The fence (see fence()): the lease's token, or a repeated delivery of this very request.
  if not f[3] or f[1] ~= token then
    if f[3] and present(request) and f[2] == request then return 1 end
    fail("LEASE_LOST", id)
  end
  local row = { status = f[3], taskName = f[4], createdAt = f[5], priority = f[6] or nil,
    concurrencyKey = f[7] or nil, parentId = f[8] or nil }
  local sets = { "lastRequest", request, "completedAt", now, "status", status }
  local patched, timeout = opt(data), opt(timeoutAt)
  if patched ~= nil then sets[7], sets[8] = "data", patched end
  if timeout ~= nil then sets[#sets + 1], sets[#sets + 2] = "timeoutAt", timeout end
  local kept = "none"
  if status == "failed" then kept = "error" elseif value ~= nil then kept = "result" end
  if kept ~= "none" then sets[#sets + 1], sets[#sets + 2] = kept, value end
  unindex(id, row)
  redis.call("HSET", rowKey, unpack(sets))
  redis.call("HDEL", rowKey, unpack(FINISH_DROPS[kept]))
  row.status, row.completedAt = status, now
  index(id, row)
  leaveConcurrency(id, row)
  removeDue(id, row)
  dropUnsettledChildren(id, status == "failed" and now or nil)
  return wakeParent(row, now, origin) or 1
end

local replies = {}
for i = 1, #W, ${FENCED_WRITE_WIDTH} do
  local op, id, token, data, timeoutAt = W[i], W[i + 1], W[i + 2], W[i + 3], W[i + 4]
  local request = batch .. "." .. (#replies + 1)
  local ok, reply
  if op == "step" then
    ok, reply = pcall(saveStep, id, token, data, timeoutAt, W[i + 5], W[i + 6], W[i + 7], W[i + 8])
  elseif op == "complete" then
    ok, reply = pcall(finishWith, "completed", id, token, request, data, timeoutAt, opt(W[i + 5]), W[i + 6])
  else
    ok, reply = pcall(finishWith, "failed", id, token, request, data, timeoutAt, W[i + 5], W[i + 6])
  end
  if not ok and not (type(reply) == "table" and reply.err) then reply = { err = tostring(reply) } end
  replies[#replies + 1] = reply
end
return replies
`,
);
