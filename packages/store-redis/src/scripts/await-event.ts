import { defineScript } from "./prelude.js";

/**
 * Fenced, and atomic with `offerEvent` (both are scripts on the same execution): for the wait at
 * `position`, consumes the oldest unconsumed event of that name (→ "received"), else fails the wait
 * at its deadline leaving the mailbox untouched (→ "timeout"), else saves the wait step and parks
 * the execution on the event name (→ "suspended").
 *
 * KEYS[1] = row key. ARGV = base, id, token, position, stepName, eventName, deadline (""), wakeAt (""),
 * timeoutError (JSON text), data (opt), timeoutAt (opt), now.
 */
export const awaitEventScript = defineScript(
  "zartAwaitEvent",
  `
local id, position, stepName, eventName = ARGV[2], ARGV[4], ARGV[5], ARGV[6]
local deadline, wakeAt, timeoutError, now = ARGV[7], ARGV[8], ARGV[9], ARGV[12]
local row = fence(id, ARGV[3])
applyPatch(id, row, ARGV[10], ARGV[11])
local previous = readStep(id, position)
local step = { position = tonumber(position), name = stepName, kind = "event", attempts = 1,
  startedAt = (previous and previous.startedAt) or tonumber(now) }
if present(deadline) then step.wakeAt = tonumber(deadline) end

local queue = redis.call("HGET", key("mailbox", id), eventName)
if queue and queue ~= "" then
  local first, rest = string.match(queue, "^(%d+) ?(.*)$")
  if rest == "" then
    redis.call("HDEL", key("mailbox", id), eventName)
  else
    redis.call("HSET", key("mailbox", id), eventName, rest)
  end
  local event = cjson.decode(redis.call("LINDEX", key("events", id), first))
  event.consumedAt = tonumber(now)
  redis.call("LSET", key("events", id), first, cjson.encode(event))
  step.status = "completed"
  step.result = event.payload
  step.completedAt = tonumber(now)
  writeStep(id, step)
  return { "received", event.payload }
end

if present(deadline) and tonumber(deadline) <= tonumber(now) then
  step.status = "failed"
  step.error = timeoutError
  step.completedAt = tonumber(now)
  writeStep(id, step)
  return { "timeout" }
end

step.status = "waiting"
writeStep(id, step)
park(id, row, "event", wakeAt, eventName)
return { "suspended" }
`,
);
