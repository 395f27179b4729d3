/**
 * Lua helpers of event waits (part of the prelude every script starts with: see prelude.ts): the
 * wait step, the mailbox queue head, consuming an event, timing a wait out, parking on events.
 */
export const EVENT_WAIT_HELPERS = `
-- The step of an event wait at position (an earlier attempt's startedAt kept) and whether its
-- deadline has passed at now.
local function eventWaitStep(position, stepName, deadline, now, previous)
  local step = { position = tonumber(position), name = stepName, kind = "event", attempts = 1,
    startedAt = (previous and previous.startedAt) or tonumber(now) }
  if present(deadline) then step.wakeAt = tonumber(deadline) end
  return step, step.wakeAt ~= nil and step.wakeAt <= tonumber(now)
end

-- The mailbox slot of the oldest unconsumed event of name, and the rest of its queue; nil if none.
local function queueHead(id, name)
  local queue = redis.call("HGET", key("mailbox", id), name)
  if not queue or queue == "" then return nil end
  return string.match(queue, "^(%d+) ?(.*)$")
end

-- The event in slot, unless the wait has expired and it was offered after the deadline: it then
-- loses to the timeout and stays for a later wait.
local function eventForWait(id, slot, step, expired)
  local event = cjson.decode(redis.call("LINDEX", key("events", id), slot))
  if expired and event.offeredAt > step.wakeAt then return nil end
  return event
end

-- Consumes the event in slot (the head of name's queue, rest the queue after it) and completes the
-- wait step with result.
local function consumeEvent(id, name, slot, rest, event, step, result, now)
  if rest == "" then
    redis.call("HDEL", key("mailbox", id), name)
  else
    redis.call("HSET", key("mailbox", id), name, rest)
  end
  event.consumedAt = tonumber(now)
  redis.call("LSET", key("events", id), slot, cjson.encode(event))
  step.status = "completed"
  step.result = result
  step.completedAt = tonumber(now)
  step.traceContext = event.traceContext
  writeStep(id, step)
end

-- Fails the wait step at its deadline, leaving the mailbox untouched.
local function timeOutWait(id, step, timeoutError, now)
  step.status = "failed"
  step.error = timeoutError
  step.completedAt = tonumber(now)
  writeStep(id, step)
end

-- Saves the waiting step and parks the execution on waitEvent (one name, or several joined by
-- newlines), recording the wait's position for offerEvent and the request for a repeated delivery.
local function parkOnEvent(id, row, step, wakeAt, waitEvent, request)
  step.status = "waiting"
  writeStep(id, step)
  park(id, row, "event", wakeAt, waitEvent)
  hset(id, row, "waitPosition", ms(step.position))
  releasedBy(id, row, request)
end
`;
