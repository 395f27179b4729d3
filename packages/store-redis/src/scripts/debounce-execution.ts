import { defineScript } from "./prelude.js";

/**
 * Debounces a start. The hash `debounce:<task>\n<key>` names the holder (`id`, `run`) and counts
 * the starts it collapsed (`starts`). While that run is `pending` and never claimed (no
 * `startedAt`), its payload, priority and concurrency key become the call's and its due time
 * `runAt`, capped at `createdAt + timeoutMs`; otherwise the execution `id` is created as by
 * `createExecution` (`ZART_EXISTS` when a live one holds the id, nothing written) and becomes the
 * holder. One script, so racing calls serialize. A repeated delivery of the same call (same
 * request id) returns what it answered then. Publishes `created` when it created.
 *
 * KEYS[1] = row key (routing). ARGV = base, id, taskName, payload, runAt, now, origin, request,
 * priority ("" = none), concurrencyKey ("" = none), traceContext ("" = none), version ("" = none),
 * debounceKey, timeoutMs ("" = none), rateKey ("" = none). Returns { starts, HGETALL of the row }.
 */
export const debounceExecutionScript = defineScript(
  "zartDebounceExecution",
  `
local id, taskName, payload, runAt, now, origin, request = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local priority = present(ARGV[9]) and ARGV[9] or nil
local concurrencyKey = present(ARGV[10]) and ARGV[10] or nil
local traceContext = present(ARGV[11]) and ARGV[11] or nil
local version = present(ARGV[12]) and ARGV[12] or nil
local slot = key("debounce", taskName .. "\\n" .. ARGV[13])
local timeoutMs = present(ARGV[14]) and tonumber(ARGV[14]) or nil
local rateKey = present(ARGV[15]) and ARGV[15] or nil

local function capped(from)
  if timeoutMs == nil then return runAt end
  return ms(math.min(tonumber(runAt), tonumber(from) + timeoutMs))
end

local holder = redis.call("HMGET", slot, "id", "run", "starts", "request")
local holderId, holderRun, starts = holder[1], holder[2], tonumber(holder[3])
if holder[4] == request then
  return { starts, redis.call("HGETALL", key("row", holderId)) }
end
local row = holderId and readRow(holderId)
if row and (row.run or "1") == holderRun and row.status == "pending" and row.startedAt == nil then
  removeDue(holderId, row)
  hset(holderId, row, "payload", payload)
  hset(holderId, row, "runAt", capped(row.createdAt))
  if priority ~= nil then hset(holderId, row, "priority", priority) else hdel(holderId, row, "priority") end
  if concurrencyKey ~= nil then hset(holderId, row, "concurrencyKey", concurrencyKey)
  else hdel(holderId, row, "concurrencyKey") end
  if rateKey ~= nil then hset(holderId, row, "rateKey", rateKey) else hdel(holderId, row, "rateKey") end
  syncDue(holderId, row)
  starts = starts + 1
  redis.call("HSET", slot, "starts", ms(starts), "request", request)
  return { starts, redis.call("HGETALL", key("row", holderId)) }
end

local old = readRow(id)
local run = 1
if old ~= nil then
  if not TERMINAL[old.status] then fail("EXISTS", id) end
  run = replaceRun(id, old)
end
local created = insertExecution(id, taskName, payload, capped(now), now, request, priority, concurrencyKey,
  traceContext, version, rateKey)
numberRun(id, created, run)
-- The holder's key on the row, so that purging the execution removes the holder with it.
redis.call("HSET", key("row", id), "debounceSlot", slot)
redis.call("HSET", slot, "id", id, "run", ms(run), "starts", "1", "request", request)
publish("created", id, origin)
return { 1, redis.call("HGETALL", key("row", id)) }
`,
);
