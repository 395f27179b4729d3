import { defineScript } from "./prelude.js";

/**
 * Running, due and delayed executions per concurrency key (per task without one): a pass over the
 * status indexes of the live executions (pending, waiting, running), one HMGET per member, in one
 * script: a consistent answer. Returns a flat `[concurrencyKey or "", taskName or "", running,
 * due, delayed, topDuePriority, …]` (`""`: absent; a task name is sent only without a key).
 *
 * KEYS[1] = the due set (routing). ARGV = base, now.
 */
export const queueStatsScript = defineScript(
  "zartQueueStats",
  `
local now = tonumber(ARGV[2])
local groups, order = {}, {}
for _, status in ipairs({ "pending", "waiting", "running" }) do
  for _, id in ipairs(redis.call("ZRANGE", base .. "status:" .. status, 0, -1)) do
    local f = redis.call("HMGET", key("row", id), "concurrencyKey", "taskName", "runAt", "leaseExpiresAt", "priority")
    local runAt, leaseEnd = tonumber(f[3]), tonumber(f[4])
    local running = status == "running" and leaseEnd ~= nil and leaseEnd > now
    local due = (status ~= "running" and runAt ~= nil and runAt <= now)
      or (status == "running" and leaseEnd ~= nil and leaseEnd <= now)
    local delayed = status == "pending" and runAt ~= nil and runAt > now
    if f[2] and (running or due or delayed) then
      -- "\\0" + task name never equals a concurrency key (no control characters in task names).
      local id = f[1] or ("\\0" .. f[2])
      local g = groups[id]
      if g == nil then
        g = { f[1] or "", f[1] and "" or f[2], 0, 0, 0, 0 }
        groups[id] = g
        table.insert(order, g)
      end
      if running then g[3] = g[3] + 1 end
      if due then
        g[4] = g[4] + 1
        g[6] = math.max(g[6], tonumber(f[5]) or 0)
      end
      if delayed then g[5] = g[5] + 1 end
    end
  end
end
local reply = {}
for _, g in ipairs(order) do
  for _, v in ipairs(g) do table.insert(reply, v) end
end
return reply
`,
);

/**
 * `Scheduler.pendingCounts`, in one script: a group's unexpired leases, from the running status
 * index (one HMGET per running execution, not per live one), and the top due priority, from the
 * priority levels highest first: the first level with an entry due at `now` whose row is due
 * (checked as `queueStats` counts it). Returns `[running, topDuePriority]`.
 *
 * KEYS[1] = the due set (routing). ARGV = base, now, concurrency key ("" = none).
 */
export const pendingCountsScript = defineScript(
  "zartPendingCounts",
  `
local now, group = tonumber(ARGV[2]), ARGV[3]
local running = 0
if group ~= "" then
  for _, id in ipairs(redis.call("ZRANGE", base .. "status:running", 0, -1)) do
    local f = redis.call("HMGET", key("row", id), "concurrencyKey", "leaseExpiresAt")
    if f[1] == group and f[2] and tonumber(f[2]) > now then running = running + 1 end
  end
end
local function isDue(id)
  local f = redis.call("HMGET", key("row", id), "status", "runAt", "leaseExpiresAt")
  local at = f[1] == "running" and f[3] or ((f[1] == "pending" or f[1] == "waiting") and f[2]) or nil
  return at and tonumber(at) <= now
end
for _, level in ipairs(redis.call("ZREVRANGE", PRIORITY_LEVELS, 0, -1)) do
  for _, id in ipairs(redis.call("ZRANGEBYSCORE", base .. "due:p:" .. level, "-inf", now)) do
    if isDue(id) then return { running, tonumber(level) } end
  end
end
return { running, 0 }
`,
);
