import { defineScript } from "./prelude.js";

/**
 * Appends an event to the mailbox and, if the execution waits on that event name, makes it due now,
 * in one script: an offer cannot slip between a wait's mailbox check and its suspension (the wait
 * is a script too). When the parked wait (its step at the row's `waitPosition`, written by the
 * wait's park) can still receive it — its deadline and the execution's wake time both after `now`
 * — the offer also answers it: the event is appended consumed (never queued in `mailbox:<id>`)
 * and the wait's step is completed with the payload, so the replay finds it in the claimed history.
 * An idempotency key already accepted → `"duplicate"`, even once terminal.
 * Unknown → `ZART_NOT_FOUND`; terminal → `ZART_TERMINAL|<status>|`. Publishes `event`. A repeated
 * delivery of the same call (same request id, kept in `offers:<id>`) answers "delivered" again
 * without appending a second copy.
 *
 * Signal-with-start (start task given): after the duplicate checks, an unknown or terminal
 * execution is first (re)created as `createExecution` does (archiving a terminal one as its run),
 * publishing `created`; the answer is
 * then "started" (a delivered offer that created the execution).
 *
 * KEYS[1] = row key. ARGV = base, id, eventName, payload, idempotencyKey (opt), now, origin, request,
 * start task (opt), start payload, start runAt, start priority (opt), start concurrency key (opt),
 * the offer's trace context (opt), the start's trace context (opt), start version (opt), start rate key (opt).
 */
export const offerEventScript = defineScript(
  "zartOfferEvent",
  `
local id, name, payload, ikey, now, origin = ARGV[2], ARGV[3], ARGV[4], opt(ARGV[5]), ARGV[6], ARGV[7]
local request, startTask, traceContext = ARGV[8], opt(ARGV[9]), opt(ARGV[14])
local row = readRow(id)
local started = false
if row ~= nil and redis.call("HEXISTS", key("offers", id), request) == 1 then return "delivered" end
if row ~= nil and ikey ~= nil and redis.call("HEXISTS", key("ikeys", id), ikey) == 1 then return "duplicate" end
if startTask ~= nil and (row == nil or TERMINAL[row.status]) then
  local run = 1
  if row ~= nil then run = replaceRun(id, row) end
  row = insertExecution(id, startTask, ARGV[10], ARGV[11], now, request, opt(ARGV[12]), opt(ARGV[13]), opt(ARGV[15]),
    opt(ARGV[16]), opt(ARGV[17]))
  numberRun(id, row, run)
  publish("created", id, origin)
  started = true
end
if row == nil then fail("NOT_FOUND", id) end
if TERMINAL[row.status] then fail("TERMINAL", row.status) end
-- Parked on this name, alone or among others (an any-event wait: names joined by newlines).
local listed = row.waitEvent == name
if not listed and row.waitEvent ~= nil then
  for waited in string.gmatch(row.waitEvent, "[^\\n]+") do
    if waited == name then listed = true end
  end
end
local parked = row.status == "waiting" and row.waitReason == "event" and listed
local wait = nil
-- Only a wait on this name alone is answered here; an any-event wait is woken to decide itself.
if parked and row.waitEvent == name and row.waitPosition ~= nil then
  wait = readStep(id, row.waitPosition)
  local t = tonumber(now)
  if wait == nil or wait.kind ~= "event" or wait.status ~= "waiting"
    or (wait.wakeAt ~= nil and tonumber(wait.wakeAt) <= t)
    or (row.runAt ~= nil and tonumber(row.runAt) <= t) then
    wait = nil
  end
end
local sequence = redis.call("LLEN", key("events", id)) + 1
local event = { eventName = name, sequence = sequence, payload = payload, offeredAt = tonumber(now) }
if wait ~= nil then event.consumedAt = tonumber(now) end
event.traceContext = traceContext
if ikey ~= nil then
  event.idempotencyKey = ikey
  redis.call("HSET", key("ikeys", id), ikey, sequence)
end
redis.call("RPUSH", key("events", id), cjson.encode(event))
redis.call("HSET", key("offers", id), request, sequence)
if wait ~= nil then
  wait.status = "completed"
  wait.result = payload
  wait.completedAt = tonumber(now)
  wait.traceContext = traceContext
  writeStep(id, wait)
else
  local queue = redis.call("HGET", key("mailbox", id), name)
  local slot = ms(sequence - 1)
  if queue and queue ~= "" then slot = queue .. " " .. slot end
  redis.call("HSET", key("mailbox", id), name, slot)
end
if parked then makeDue(id, row, now) end
publish("event", id, origin)
if started then return "started" end
return "delivered"
`,
);
