/**
 * Lua helpers creating and deleting an execution's row with its index entries (part of the prelude
 * every script starts with: see prelude.ts).
 */
export const EXECUTION_ROW_HELPERS = `
-- Deletes an execution with its history, mailbox and index entries.
local function deleteExecution(id, row)
  if row.parentId ~= nil then redis.call("ZREM", key("children", row.parentId), id) end
  dropUnsettledChildren(id, nil)
  unindex(id, row)
  redis.call("ZREM", base .. "created", id)
  redis.call("ZREM", base .. "task:" .. row.taskName, id)
  if row.version ~= nil then redis.call("ZREM", base .. "version:" .. row.version, id) end
  local queue = queueIndex(row.concurrencyKey)
  if queue ~= nil then redis.call("ZREM", queue, id) end
  removeDue(id, row)
  leaveConcurrency(id, row)
  redis.call("DEL", key("row", id), key("steps", id), key("unsettled", id), key("events", id),
    key("mailbox", id), key("ikeys", id), key("offers", id))
end

-- A new row's task version (nil = unversioned): its field and the "version:<v>" index, newest first.
local function setVersion(id, row, version)
  if version == nil then return end
  row.version = version
  redis.call("HSET", key("row", id), "version", version)
  redis.call("ZADD", base .. "version:" .. version, newestFirst(row.createdAt), id)
end

-- Writes a new pending run (the id must be free: unknown, or its terminal run deleted), indexed
-- and due at runAt (the caller publishes "created"). priority, concurrencyKey, traceContext, version,
-- rateKey: nil = none.
local function insertExecution(id, taskName, payload, runAt, now, request, priority, concurrencyKey, traceContext,
    version, rateKey)
  local row = { executionId = id, taskName = taskName, payload = payload, status = "pending", attempt = "0",
    runAt = runAt, scheduledAt = runAt, createdAt = now }
  redis.call("HSET", key("row", id), "executionId", id, "taskName", taskName, "payload", payload,
    "status", "pending", "attempt", "0", "runAt", runAt, "scheduledAt", runAt, "createdAt", now,
    "createRequest", request)
  if priority ~= nil then
    row.priority = priority
    redis.call("HSET", key("row", id), "priority", priority)
  end
  if concurrencyKey ~= nil then
    row.concurrencyKey = concurrencyKey
    redis.call("HSET", key("row", id), "concurrencyKey", concurrencyKey)
    local queue = queueIndex(concurrencyKey)
    if queue ~= nil then redis.call("ZADD", queue, newestFirst(now), id) end
  end
  if traceContext ~= nil then redis.call("HSET", key("row", id), "traceContext", traceContext) end
  if rateKey ~= nil then redis.call("HSET", key("row", id), "rateKey", rateKey) end
  setVersion(id, row, version)
  index(id, row)
  redis.call("ZADD", base .. "created", newestFirst(now), id)
  redis.call("ZADD", base .. "task:" .. taskName, newestFirst(now), id)
  syncDue(id, row)
  return row
end
`;
