import { defineScript } from "./prelude.js";

/**
 * Creates a pending execution. An existing non-terminal one → `ZART_EXISTS` (nothing written); a
 * terminal one is archived as its run and deleted first, in the same script (the new one is the
 * next run).
 * Publishes `created`. Returns the new row (`HGETALL`). A repeated delivery of the same call (same
 * request id: a client re-sending an unanswered command) returns the row it created instead of
 * failing with `ZART_EXISTS`.
 *
 * KEYS[1] = row key (routing). ARGV = base, id, taskName, payload, runAt, now, origin, request,
 * priority ("" = none), concurrencyKey ("" = none), traceContext ("" = none), version ("" = none), rateKey ("" = none).
 */
export const createExecutionScript = defineScript(
  "zartCreateExecution",
  `
local id, taskName, payload, runAt, now, origin, request = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local priority = present(ARGV[9]) and ARGV[9] or nil
local concurrencyKey = present(ARGV[10]) and ARGV[10] or nil
local traceContext = present(ARGV[11]) and ARGV[11] or nil
local version = present(ARGV[12]) and ARGV[12] or nil
local rateKey = present(ARGV[13]) and ARGV[13] or nil
local old = readRow(id)
local run = 1
if old ~= nil then
  if old.createRequest == request then return redis.call("HGETALL", key("row", id)) end
  if not TERMINAL[old.status] then fail("EXISTS", id) end
  run = replaceRun(id, old)
end
local row = insertExecution(id, taskName, payload, runAt, now, request, priority, concurrencyKey, traceContext, version, rateKey)
numberRun(id, row, run)
publish("created", id, origin)
return redis.call("HGETALL", key("row", id))
`,
);
