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
local step, expired = eventWaitStep(position, stepName, deadline, now, previous)
local slot, rest = queueHead(id, eventName)
local event = slot and eventForWait(id, slot, step, expired)
if event then
  consumeEvent(id, eventName, slot, rest, event, step, event.payload, now)
  return { "received", event.payload }
end
if expired then
  timeOutWait(id, step, timeoutError, now)
  return { "timeout" }
end
parkOnEvent(id, row, step, wakeAt, eventName, request)
return { "suspended" }
`,
);
