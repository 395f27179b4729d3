import { defineScript } from "./prelude.js";

/**
 * The operator's pause: a pending, waiting or running execution becomes `paused`, with its wake
 * time, wait and lease cleared (so it leaves the due set, and the holder's next write fails). Already
 * paused: unchanged. Unknown → `ZART_NOT_FOUND`; terminal → `ZART_NOT_PAUSABLE`. Returns the row (flat).
 *
 * KEYS[1] = row key. ARGV = base, id.
 */
export const pauseExecutionScript = defineScript(
  "zartPauseExecution",
  `
local id = ARGV[2]
local row = readRow(id)
if row == nil then fail("NOT_FOUND", id) end
if TERMINAL[row.status] then fail("NOT_PAUSABLE", id .. ":" .. row.status) end
if row.status ~= "paused" then
  setStatus(id, row, "paused")
  for _, field in ipairs({ "runAt", "waitReason", "waitEvent" }) do hdel(id, row, field) end
  clearLease(id, row)
  syncDue(id, row)
end
return redis.call("HGETALL", key("row", id))
`,
);

/**
 * The operator's resume: a paused execution becomes `pending`, due now. Unknown → `ZART_NOT_FOUND`;
 * any other status → `ZART_NOT_PAUSED`. Publishes `resumed`. Returns the row (flat).
 *
 * KEYS[1] = row key. ARGV = base, id, now, origin.
 */
export const resumeExecutionScript = defineScript(
  "zartResumeExecution",
  `
local id, now, origin = ARGV[2], ARGV[3], ARGV[4]
local row = readRow(id)
if row == nil then fail("NOT_FOUND", id) end
if row.status ~= "paused" then fail("NOT_PAUSED", id .. ":" .. row.status) end
setStatus(id, row, "pending")
hset(id, row, "runAt", now)
syncDue(id, row)
publish("resumed", id, origin)
return redis.call("HGETALL", key("row", id))
`,
);
