import { defineScript } from "./prelude.js";

/**
 * Appends an event to the mailbox and, if the execution waits on that event name, makes it due now,
 * in one script: an offer cannot slip between a wait's mailbox check and its suspension (the wait
 * is a script too). An idempotency key already accepted → `"duplicate"`, even once terminal.
 * Unknown → `ZART_NOT_FOUND`; terminal → `ZART_TERMINAL|<status>|`. Publishes `event`. A repeated
 * delivery of the same call (same request id, kept in `offers:<id>`) answers "delivered" again
 * without appending a second copy.
 *
 * KEYS[1] = row key. ARGV = base, id, eventName, payload, idempotencyKey (opt), now, origin, request.
 */
export const offerEventScript = defineScript(
  "zartOfferEvent",
  `
local id, name, payload, ikey, now, origin = ARGV[2], ARGV[3], ARGV[4], opt(ARGV[5]), ARGV[6], ARGV[7]
local request = ARGV[8]
local row = readRow(id)
if row == nil then fail("NOT_FOUND", id) end
if redis.call("HEXISTS", key("offers", id), request) == 1 then return "delivered" end
if ikey ~= nil and redis.call("HEXISTS", key("ikeys", id), ikey) == 1 then return "duplicate" end
if TERMINAL[row.status] then fail("TERMINAL", row.status) end
local sequence = redis.call("LLEN", key("events", id)) + 1
local event = { eventName = name, sequence = sequence, payload = payload, offeredAt = tonumber(now) }
if ikey ~= nil then
  event.idempotencyKey = ikey
  redis.call("HSET", key("ikeys", id), ikey, sequence)
end
redis.call("RPUSH", key("events", id), cjson.encode(event))
redis.call("HSET", key("offers", id), request, sequence)
local queue = redis.call("HGET", key("mailbox", id), name)
local slot = ms(sequence - 1)
if queue and queue ~= "" then slot = queue .. " " .. slot end
redis.call("HSET", key("mailbox", id), name, slot)
if row.status == "waiting" and row.waitReason == "event" and row.waitEvent == name then
  makeDue(id, row, now)
end
publish("event", id, origin)
return "delivered"
`,
);
