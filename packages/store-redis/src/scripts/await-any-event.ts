import { defineScript } from "./prelude.js";

/**
 * `awaitEvent` over several names (see `await-event.ts` for fencing, repeated delivery and
 * `waitPosition`): among the names' mailbox queues, the one whose oldest unconsumed event has the
 * lowest sequence (offer order across names) gives the event; it is consumed and the step records
 * `{"name":…,"payload":…}` → "received" with the name and payload; the other events stay queued.
 * Else the timeout at the deadline, else the execution parks with `waitEvent` = the names joined
 * by newlines, which `offerEvent` wakes on any of them.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position, stepName, names (newline-joined),
 * deadline (""), wakeAt (""), timeoutError (JSON text), data (opt), timeoutAt (opt), now.
 */
export const awaitAnyEventScript = defineScript(
  "zartAwaitAnyEvent",
  `
local id, request, position, stepName, names = ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local deadline, wakeAt, timeoutError, now = ARGV[8], ARGV[9], ARGV[10], ARGV[13]
local function resultOf(name, payload)
  return '{"name":' .. cjson.encode(name) .. ',"payload":' .. payload .. '}'
end
local row, repeated = fence(id, ARGV[3], request)
if repeated then return { "suspended" } end
local previous = readStep(id, position)
if previous ~= nil and previous.kind == "event" and previous.name == stepName then
  if previous.status == "completed" then
    local name = cjson.decode(previous.result).name
    local prefix = string.len(resultOf(name, "")) - 1
    return { "received", name, string.sub(previous.result, prefix + 1, -2) }
  end
  if previous.status == "failed" then return { "timeout" } end
end
applyPatch(id, row, ARGV[11], ARGV[12])
local step = { position = tonumber(position), name = stepName, kind = "event", attempts = 1,
  startedAt = (previous and previous.startedAt) or tonumber(now) }
if present(deadline) then step.wakeAt = tonumber(deadline) end
local expired = step.wakeAt ~= nil and step.wakeAt <= tonumber(now)

-- The oldest queued event of each name is its queue's first slot; the lowest slot was offered first.
local best, bestName, bestRest = nil, nil, nil
for name in string.gmatch(names, "[^\\n]+") do
  local queue = redis.call("HGET", key("mailbox", id), name)
  if queue and queue ~= "" then
    local first, rest = string.match(queue, "^(%d+) ?(.*)$")
    if best == nil or tonumber(first) < tonumber(best) then best, bestName, bestRest = first, name, rest end
  end
end
local event = nil
if best ~= nil then
  event = cjson.decode(redis.call("LINDEX", key("events", id), best))
  -- Past the deadline, an event offered after it loses to the timeout and stays for a later wait.
  if expired and event.offeredAt > step.wakeAt then event = nil end
end
if event ~= nil then
  if bestRest == "" then
    redis.call("HDEL", key("mailbox", id), bestName)
  else
    redis.call("HSET", key("mailbox", id), bestName, bestRest)
  end
  event.consumedAt = tonumber(now)
  redis.call("LSET", key("events", id), best, cjson.encode(event))
  step.status = "completed"
  step.result = resultOf(bestName, event.payload)
  step.completedAt = tonumber(now)
  writeStep(id, step)
  return { "received", bestName, event.payload }
end

if expired then
  step.status = "failed"
  step.error = timeoutError
  step.completedAt = tonumber(now)
  writeStep(id, step)
  return { "timeout" }
end

step.status = "waiting"
writeStep(id, step)
park(id, row, "event", wakeAt, names)
hset(id, row, "waitPosition", position)
releasedBy(id, row, request)
return { "suspended" }
`,
);
