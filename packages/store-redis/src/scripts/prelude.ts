import { EVENT_WAIT_HELPERS } from "./prelude-event-waits.js";
import { EXECUTION_ROW_HELPERS } from "./prelude-execution-rows.js";
import { RUN_HISTORY_HELPERS } from "./prelude-run-history.js";
import { usedHelpers } from "./used-helpers.js";

/**
 * Lua helpers shared by every script (Redis scripts cannot import each other, so each script is
 * this prelude followed by its body). Conventions:
 *
 * - `ARGV[1]` is the keyspace base (`<prefix>{<tag>}:`); every key is derived from it, so all keys a
 *   script touches share one hash tag and one Cluster slot. `KEYS[1]` is declared for routing only.
 * - Times are integer milliseconds, as decimal strings.
 * - Optional arguments are `""` when absent; patch fields are `"="..value` when present.
 * - Every check (fencing, existence) runs before the first write: Redis does not roll a script
 *   back when it raises an error, so a rejected call must not have written anything yet.
 * - Errors are raised as `ZART_<CODE>|<detail>|`, translated by `translateError`.
 */
export const PRELUDE = `
local base = ARGV[1]
local DUE = base .. "due"
local CHANNEL = base .. "wake"
local TERMINAL = { completed = true, failed = true, cancelled = true }
local SETTLED = TERMINAL

local function key(kind, id) return base .. kind .. ":" .. id end

local function fail(code, detail)
  error({ err = "ZART_" .. code .. "|" .. (detail or "") .. "|" })
end

local function ms(n) return string.format("%d", n) end

local function present(arg) return arg ~= nil and arg ~= "" end

-- The newest-first index score of a time (ms, an integer string): its negation as text. Not
-- -tonumber(t): Redis formats a Lua number argument with "%.17g", a slow float conversion.
local function newestFirst(t)
  if string.sub(t, 1, 1) == "-" then return string.sub(t, 2) end
  return "-" .. t
end

-- An optional value sent as "=" .. value (absent: ""), so that any string, "" included, can be sent.
local function opt(arg)
  if arg ~= nil and string.sub(arg, 1, 1) == "=" then return string.sub(arg, 2) end
  return nil
end

local function readRow(id)
  local flat = redis.call("HGETALL", key("row", id))
  if #flat == 0 then return nil end
  local row = {}
  for i = 1, #flat, 2 do row[flat[i]] = flat[i + 1] end
  return row
end

local function hset(id, row, field, value)
  row[field] = value
  redis.call("HSET", key("row", id), field, value)
end

local function hdel(id, row, field)
  if row[field] ~= nil then
    row[field] = nil
    redis.call("HDEL", key("row", id), field)
  end
end

-- Sets the fields of sets ({ field, value, … }) in one HSET.
local function hsetAll(id, row, sets)
  if #sets == 0 then return end
  for i = 1, #sets, 2 do row[sets[i]] = sets[i + 1] end
  redis.call("HSET", key("row", id), unpack(sets))
end

-- Deletes those of fields the row has, in one HDEL.
local function hdelAll(id, row, fields)
  local present = {}
  for _, field in ipairs(fields) do
    if row[field] ~= nil then
      row[field] = nil
      present[#present + 1] = field
    end
  end
  if #present > 0 then redis.call("HDEL", key("row", id), unpack(present)) end
end

-- Wake-up message: "<reason>:<origin>:<id>"; origin identifies the scheduler that sent it.
local function publish(reason, id, origin)
  redis.call("PUBLISH", CHANNEL, reason .. ":" .. origin .. ":" .. id)
end

local function childMember(id, position)
  return id .. "\\n" .. string.format("%010d", tonumber(position))
end

-- Index membership: status, task+status and (terminal only) ended-at.
local function unindex(id, row)
  local s, t = row.status, row.taskName
  redis.call("ZREM", base .. "status:" .. s, id)
  redis.call("ZREM", base .. "task-status:" .. s .. ":" .. t, id)
  if TERMINAL[s] then redis.call("ZREM", base .. "ended:" .. s, id) end
end

local function index(id, row)
  local s, t = row.status, row.taskName
  local score = newestFirst(row.createdAt)
  redis.call("ZADD", base .. "status:" .. s, score, id)
  redis.call("ZADD", base .. "task-status:" .. s .. ":" .. t, score, id)
  if TERMINAL[s] then redis.call("ZADD", base .. "ended:" .. s, row.completedAt, id) end
end

-- Moves the row to status (its index entries with it) and, in the same HSET / HDEL, sets the
-- fields of sets ({ field, value, … }) and deletes those of drops it has; both optional.
local function transition(id, row, status, sets, drops)
  sets = sets or {}
  local moved = row.status ~= status
  if moved then
    unindex(id, row)
    sets[#sets + 1] = "status"
    sets[#sets + 1] = status
  end
  hsetAll(id, row, sets)
  if drops then hdelAll(id, row, drops) end
  if moved then index(id, row) end
end

local function setStatus(id, row, status) transition(id, row, status) end

-- A prioritized execution is due in its level's own set ("due:p:<priority>", the levels in use
-- listed in PRIORITY_LEVELS scored by priority); every other unit (children too) in DUE.
local PRIORITY_LEVELS = base .. "due:levels"
local function dueSetOf(row)
  if row.priority == nil then return DUE end
  return base .. "due:p:" .. row.priority
end

-- Removes an execution's due entry; an emptied level leaves PRIORITY_LEVELS.
local function removeDue(id, row)
  local set = dueSetOf(row)
  redis.call("ZREM", set, id)
  if set ~= DUE and redis.call("ZCARD", set) == 0 then redis.call("ZREM", PRIORITY_LEVELS, row.priority) end
end

-- Keeps the execution's entry in the due set in line with its row.
local function syncDue(id, row)
  local s = row.status
  local at = nil
  if (s == "pending" or s == "waiting") and row.runAt ~= nil then
    at = row.runAt
  elseif s == "running" and row.leaseExpiresAt ~= nil then
    at = row.leaseExpiresAt
  end
  if at == nil then return removeDue(id, row) end
  local set = dueSetOf(row)
  redis.call("ZADD", set, at, id)
  if set ~= DUE then redis.call("ZADD", PRIORITY_LEVELS, row.priority, row.priority) end
end

local LEASE_FIELDS = { "token", "leaseOwner", "leaseExpiresAt" }
local function clearLease(id, row) hdelAll(id, row, LEASE_FIELDS) end

-- Fencing. Returns the execution row the lease still holds (an expired lease nobody took over still
-- holds) and false. A repeated delivery of a call that already applied and gave the lease up (a
-- client may re-send an unanswered command after a reconnect) is recognised by its request id:
-- row and true, and the script answers as the first delivery did without writing again.
-- Anything else: ZART_LEASE_LOST.
local function fence(id, token, request)
  local row = readRow(id)
  if row ~= nil and row.token ~= nil and row.token == token then return row, false end
  if row ~= nil and present(request) and row.lastRequest == request then return row, true end
  fail("LEASE_LOST", id)
end

-- The fence of a write that reads nothing of the row (one HGET): the lease's token still matches,
-- or ZART_LEASE_LOST.
local function fenceToken(id, token)
  if redis.call("HGET", key("row", id), "token") ~= token then fail("LEASE_LOST", id) end
end

-- Records that request gave the lease up, so that fence recognises a repeated delivery of it.
local function releasedBy(id, row, request)
  hset(id, row, "lastRequest", request)
end

local function applyPatch(id, row, data, timeoutAt)
  if opt(data) ~= nil then hset(id, row, "data", opt(data)) end
  if opt(timeoutAt) ~= nil then hset(id, row, "timeoutAt", opt(timeoutAt)) end
end

local function readStep(id, position)
  local json = redis.call("HGET", key("steps", id), position)
  if not json then return nil end
  return cjson.decode(json)
end

-- The parent row and child step a child lease still holds, and whether this is a repeated
-- delivery of a call that already settled or released the child (see fence); or ZART_LEASE_LOST.
local function fenceChild(id, position, token, request)
  local row = readRow(id)
  local step = nil
  if row ~= nil then step = readStep(id, position) end
  if step ~= nil and step.leaseToken ~= nil and step.leaseToken == token then return row, step, false end
  if step ~= nil and present(request) and step.lastRequest == request then return row, step, true end
  fail("LEASE_LOST", id)
end

-- Inserts or replaces a step row, keeping the unsettled-children set and the due set in line (a
-- child is in the due set only while it is unsettled). A new position cannot be an unsettled child
-- (a child's step row is written with its mark): no SREM for it.
local function putStep(id, position, json, kind, status)
  local added = redis.call("HSET", key("steps", id), position, json)
  if kind == "parallel" and not SETTLED[status] then
    redis.call("SADD", key("unsettled", id), position)
  elseif added == 0 and redis.call("SREM", key("unsettled", id), position) == 1 then
    redis.call("ZREM", DUE, childMember(id, position))
  end
end

local function writeStep(id, step)
  putStep(id, step.position, cjson.encode(step), step.kind, step.status)
end

-- The set of executions that may hold a lease of a concurrency group (the claim validates each
-- member against its row; see the claim script). A row leaves it when it parks or finishes.
local function concurrencySet(concurrencyKey) return base .. "conc:" .. concurrencyKey end
local function leaveConcurrency(id, row)
  if row.concurrencyKey ~= nil then redis.call("ZREM", concurrencySet(row.concurrencyKey), id) end
end

-- The "queue:<name>" index (newest first) of an execution whose concurrency key is a queue's
-- ("queue:<name>", then a newline and the key when keyed); nil for any other execution.
local function queueIndex(concurrencyKey)
  if concurrencyKey == nil or string.sub(concurrencyKey, 1, 6) ~= "queue:" then return nil end
  local newline = string.find(concurrencyKey, "\\n", 7, true)
  return base .. "queue:" .. string.sub(concurrencyKey, 7, newline and newline - 1 or -1)
end

-- Parks the execution: waiting on \`reason\` until \`runAt\` ("" = only a push wakes it), lease cleared.
local function park(id, row, reason, runAt, waitEvent)
  setStatus(id, row, "waiting")
  hset(id, row, "waitReason", reason)
  if present(waitEvent) then hset(id, row, "waitEvent", waitEvent) else hdel(id, row, "waitEvent") end
  if present(runAt) then hset(id, row, "runAt", runAt) else hdel(id, row, "runAt") end
  clearLease(id, row)
  leaveConcurrency(id, row)
  syncDue(id, row)
end

-- Makes the execution due now (pending), forgetting what it waited on.
local function makeDue(id, row, now)
  setStatus(id, row, "pending")
  hset(id, row, "runAt", now)
  hdel(id, row, "waitReason")
  hdel(id, row, "waitEvent")
  syncDue(id, row)
end

-- Takes every unsettled child out of the due set; with \`cancelAt\`, also marks them cancelled.
local function dropUnsettledChildren(id, cancelAt)
  local positions = redis.call("SMEMBERS", key("unsettled", id))
  for _, position in ipairs(positions) do
    redis.call("ZREM", DUE, childMember(id, position))
    if cancelAt ~= nil then
      local step = readStep(id, position)
      if step ~= nil then
        step.status = "cancelled"
        step.completedAt = tonumber(cancelAt)
        step.leaseToken = nil
        redis.call("HSET", key("steps", id), position, cjson.encode(step))
      end
    end
  end
  if cancelAt ~= nil then redis.call("DEL", key("unsettled", id)) end
end

-- Deletes every step that did not complete (retry, restart: the run goes again from its first
-- non-completed step), with its unsettled mark and due entry.
local function dropUnfinishedSteps(id)
  local flat = redis.call("HGETALL", key("steps", id))
  for i = 1, #flat, 2 do
    local step = cjson.decode(flat[i + 1])
    if step.status ~= "completed" then
      redis.call("HDEL", key("steps", id), flat[i])
      redis.call("SREM", key("unsettled", id), flat[i])
      redis.call("ZREM", DUE, childMember(id, flat[i]))
    end
  end
end

-- Moves the execution to a terminal status at \`now\` and clears its lease; sets ({ field, value, … })
-- and drops (fields), both optional, go in the same HSET / HDEL.
local function finish(id, row, status, now, sets, drops)
  sets = sets or {}
  sets[#sets + 1] = "completedAt"
  sets[#sets + 1] = now
  drops = drops or {}
  for _, field in ipairs({ "waitReason", "waitEvent", "token", "leaseOwner", "leaseExpiresAt" }) do
    drops[#drops + 1] = field
  end
  transition(id, row, status, sets, drops)
  leaveConcurrency(id, row)
  syncDue(id, row)
end

-- A child execution just became terminal: a parent parked on child executions becomes due now.
-- Returns the parent's id when it was woken.
local function wakeParent(row, now, origin)
  if row.parentId == nil then return nil end
  local parent = readRow(row.parentId)
  if parent == nil or parent.status ~= "waiting" or parent.waitReason ~= "child-executions" then return nil end
  makeDue(row.parentId, parent, now)
  publish("child", row.parentId, origin)
  return row.parentId
end

-- Cancels the non-terminal, non-detached descendants of \`id\` (children:<id> lists each one's
-- children); returns their ids.
local function cancelDescendants(id, now, origin)
  local cancelled = {}
  local queue = { id }
  while #queue > 0 do
    local current = table.remove(queue)
    for _, childId in ipairs(redis.call("ZRANGE", key("children", current), 0, -1)) do
      local child = readRow(childId)
      if child ~= nil and child.parentId == current and child.detached ~= "1" and not TERMINAL[child.status] then
        finish(childId, child, "cancelled", now)
        dropUnsettledChildren(childId, now)
        publish("cancelled", childId, origin)
        table.insert(queue, childId)
        table.insert(cancelled, childId)
      end
    end
  end
  return cancelled
end
${EXECUTION_ROW_HELPERS}${EVENT_WAIT_HELPERS}${RUN_HISTORY_HELPERS}`;

/** A script: the prelude plus its body, run with `numberOfKeys` routing keys. */
export interface ScriptDefinition {
  /** The ioredis command name it is defined as. */
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

/** Builds a script definition from its body (the prelude helpers it uses are prepended). */
export function defineScript(name: string, body: string): ScriptDefinition {
  return { name, numberOfKeys: 1, lua: `${usedHelpers(PRELUDE, body)}\n${body}` };
}
