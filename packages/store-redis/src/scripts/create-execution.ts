import { defineScript } from "./prelude.js";

/**
 * Creates a pending execution. An existing non-terminal one → `ZART_EXISTS` (nothing written); a
 * terminal one is deleted with its steps, mailbox and index entries first, in the same script.
 * Publishes `created`. Returns the new row (`HGETALL`).
 *
 * KEYS[1] = row key (routing). ARGV = base, id, taskName, payload, runAt, now, origin.
 */
export const createExecutionScript = defineScript(
  "zartCreateExecution",
  `
local id, taskName, payload, runAt, now, origin = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local old = readRow(id)
if old ~= nil then
  if not TERMINAL[old.status] then fail("EXISTS", id) end
  deleteExecution(id, old)
end
local row = { executionId = id, taskName = taskName, payload = payload, status = "pending", attempt = "0",
  runAt = runAt, scheduledAt = runAt, createdAt = now }
redis.call("HSET", key("row", id), "executionId", id, "taskName", taskName, "payload", payload,
  "status", "pending", "attempt", "0", "runAt", runAt, "scheduledAt", runAt, "createdAt", now)
index(id, row)
redis.call("ZADD", base .. "created", -tonumber(now), id)
redis.call("ZADD", base .. "task:" .. taskName, -tonumber(now), id)
syncDue(id, row)
publish("created", id, origin)
return redis.call("HGETALL", key("row", id))
`,
);
