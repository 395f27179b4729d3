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
local step, expired = eventWaitStep(position, stepName, deadline, now, previous)
-- The oldest queued event of each name is its queue's first slot; the lowest slot was offered first.
local best, bestName, bestRest = nil, nil, nil
for name in string.gmatch(names, "[^\\n]+") do
  local first, rest = queueHead(id, name)
  if first and (best == nil or tonumber(first) < tonumber(best)) then best, bestName, bestRest = first, name, rest end
end
local event = best and eventForWait(id, best, step, expired)
if event then
  consumeEvent(id, bestName, best, bestRest, event, step, resultOf(bestName, event.payload), now)
  return { "received", bestName, event.payload }
end
if expired then
  timeOutWait(id, step, timeoutError, now)
  return { "timeout" }
end
parkOnEvent(id, row, step, wakeAt, names, request)
return { "suspended" }
`,
);
