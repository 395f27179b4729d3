import { defineScript } from "./prelude.js";

/**
 * Fenced, and atomic with `offerEvent` (both are scripts on the same execution): for the wait at
 * `position`, consumes the oldest unconsumed event of that name (→ "received"; once the deadline
 * has passed, only if it was offered at or before it), else fails the wait at its deadline leaving
 * the mailbox untouched (→ "timeout"), else saves the wait step and parks the execution on the
 * event name (→ "suspended").
 *
 * Repeated delivery of the same call (a client re-sending an unanswered command) must not consume
 * a second event: a call that already parked is recognised by its request id and answers
 * "suspended" again, even if an offer has answered the wait since (its step is then completed, but
 * the lease was given up: the replay after the next claim reads the step); a wait already decided
 * at `position` under the lease is answered from its step (the engine never asks again for a
 * decided wait: it replays it from history).
 *
 * Parking records the wait's position in the row (`waitPosition`), so that `offerEvent` can answer
 * the wait without searching the history.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position, stepName, eventName, deadline (""),
 * wakeAt (""), timeoutError (JSON text), data (opt), timeoutAt (opt), now.
 */
export const awaitEventScript = defineScript(
  "zartAwaitEvent",
  `
local id, request, position, stepName, eventName = ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local deadline, wakeAt, timeoutError, now = ARGV[8], ARGV[9], ARGV[10], ARGV[13]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return { "suspended" } end
local previous = readStep(id, position)
if previous ~= nil and previous.kind == "event" and previous.name == stepName then
  if previous.status == "completed" then return { "received", previous.result } end
  if previous.status == "failed" then return { "timeout" } end
end
applyPatch(id, row, ARGV[11], ARGV[12])
local step = { position = tonumber(position), name = stepName, kind = "event", attempts = 1,
  startedAt = (previous and previous.startedAt) or tonumber(now) }
if present(deadline) then step.wakeAt = tonumber(deadline) end
local expired = step.wakeAt ~= nil and step.wakeAt <= tonumber(now)

local queue = redis.call("HGET", key("mailbox", id), eventName)
local first, rest, event
if queue and queue ~= "" then
  first, rest = string.match(queue, "^(%d+) ?(.*)$")
  event = cjson.decode(redis.call("LINDEX", key("events", id), first))
  -- Past the deadline, an event offered after it loses to the timeout and stays for a later wait.
  if expired and event.offeredAt > step.wakeAt then event = nil end
end
if event ~= nil then
  if rest == "" then
    redis.call("HDEL", key("mailbox", id), eventName)
  else
    redis.call("HSET", key("mailbox", id), eventName, rest)
  end
  event.consumedAt = tonumber(now)
  redis.call("LSET", key("events", id), first, cjson.encode(event))
  step.status = "completed"
  step.result = event.payload
  step.completedAt = tonumber(now)
  writeStep(id, step)
  return { "received", event.payload }
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
park(id, row, "event", wakeAt, eventName)
hset(id, row, "waitPosition", position)
releasedBy(id, row, request)
return { "suspended" }
`,
);
