import { defineScript } from "./prelude.js";

/**
 * Claims up to `limit` due units, oldest wake time first, each exactly once (the script runs alone).
 *
 * The due set holds every unit that can become claimable, scored by when: a pending/waiting
 * execution by `runAt`, a running one by its lease expiry (a dead worker's lease lets it be
 * reclaimed), a child by its dispatch/release time or its lease expiry. Each candidate with a score
 * `<= now` is checked against its row: it is claimed (its score moves to the new lease expiry, past
 * `now`), or its stale entry is corrected (re-scored past `now` or removed). So every pass over the
 * head of the set makes progress and the loop ends.
 *
 * Priorities: a prioritized execution waits in its level's own due set (see `syncDue`); those
 * sets are scanned first, highest level first, each by due time, then the main one (unprioritized
 * executions and every child, which ranks as 0). Without priorities there is no level to scan.
 *
 * Task names: the due set holds the units of every task of the prefix. A candidate whose execution
 * (a child: its parent) has a claim key (task name and version, see `claimKey`) not in the claim's
 * list is skipped, one HMGET of its task name and version, left as it is. Skipping never makes a claim return nothing while units of its tasks are due: the
 * scan goes on past any run of other tasks' units until it has claimed one (or the due range ends).
 * Once it has, it stops after `SKIP_BUDGET` skipped candidates, so filling the rest of `limit` costs
 * at most that many more reads. So a claim's cost grows with the other tasks' due backlog ahead of
 * its first unit: negligible while every task has running workers, but a large backlog of a task
 * nobody runs is walked by every claim; give such an application its own prefix.
 *
 * Returns one JSON text, an array with per unit: [kind ("execution"|"child"), id, token, position
 * (-1 for an execution), row (an object of its fields, without those only scripts read), steps (an
 * execution's whole history; a child's steps before its position), and for a child its own step].
 * One string instead of nested arrays: the worker parses it with one `JSON.parse` instead of
 * decoding every field as a bulk string.
 *
 * Fencing tokens are `<random claim id>.<n>`: unique per unit, unguessable, and one random id per
 * call (Lua's PRNG is deterministic, so the randomness comes from the caller).
 *
 * Concurrency limits (ARGV[7], JSON `{ taskName: limit }`, "" = none): an execution of a limited
 * task with a `concurrencyKey` is claimed only while fewer than its limit hold an unexpired lease in
 * its group, and is otherwise skipped like another task's unit. The group's set `conc:<key>` lists
 * the executions that may hold one; each member is checked against its row once per call (running,
 * lease unexpired, same key) and dropped when it no longer holds one. The script runs alone, so
 * counting and claiming are one atomic step. Without limits none of this runs.
 *
 * Rate limits (ARGV[8], JSON `{ taskName: { limit, periodMs } }`, "" = none): the first claim of a
 * run (no `startedAt`) of an execution of a limited task with a `rateKey` counts one start in the
 * counter `rate:<key>:<window start>` (PEXPIRE at the window's end); when that window already has
 * `limit` starts, the execution is not claimed but deferred to the window's end (`runAt` and
 * `rateLimitedUntil`, re-scored in the due set). Atomic like the rest: the script runs alone.
 *
 * KEYS[1] = due key. ARGV = base, now, limit, leaseMs, workerId, claimId, limits, rate limits,
 * claim key…
 */
export const claimScript = defineScript(
  "zartClaim",
  `
local now, limit, workerId = ARGV[2], tonumber(ARGV[3]), ARGV[5]
local nowMs = tonumber(now)
local SKIP_BUDGET = 1000
local expiresAt = ms(nowMs + math.max(1, tonumber(ARGV[4])))
local claimed = {}

-- The claim's keys; an execution's (and its children's) key read once per call.
local wanted, taskOf = {}, {}
for i = 9, #ARGV do wanted[ARGV[i]] = true end
local limits = present(ARGV[7]) and cjson.decode(ARGV[7]) or nil
local rates = present(ARGV[8]) and cjson.decode(ARGV[8]) or nil

-- A first start of a rate-limited execution: true when its window had room (one start counted);
-- otherwise it is deferred to the window's end.
local function takeRate(id, row)
  local rate = rates and row.rateKey and row.startedAt == nil and rates[row.taskName]
  if not rate then return true end
  local period = tonumber(rate.periodMs)
  local start = math.floor(nowMs / period) * period
  local counter = base .. "rate:" .. row.rateKey .. ":" .. ms(start)
  if tonumber(redis.call("GET", counter) or "0") >= tonumber(rate.limit) then
    hset(id, row, "runAt", ms(start + period))
    hset(id, row, "rateLimitedUntil", ms(start + period))
    syncDue(id, row)
    return false
  end
  redis.call("INCR", counter)
  redis.call("PEXPIREAT", counter, ms(start + period))
  return true
end

-- Leases held per concurrency group, counted once per call from its set (stale members removed).
local held = {}
local function heldIn(group)
  if held[group] == nil then
    local set, count = concurrencySet(group), 0
    for _, member in ipairs(redis.call("ZRANGE", set, 0, -1)) do
      local f = redis.call("HMGET", key("row", member), "status", "leaseExpiresAt", "concurrencyKey")
      if f[1] == "running" and f[2] and tonumber(f[2]) > nowMs and f[3] == group then
        count = count + 1
      else
        redis.call("ZREM", set, member)
      end
    end
    held[group] = count
  end
  return held[group]
end

-- The group and limit of a limited execution (nil for any other unit).
local function limitOf(row)
  if limits == nil or row == nil then return nil end
  local max = limits[row.taskName]
  if row.concurrencyKey and max then return row.concurrencyKey, max end
  return nil
end
-- The claim key: the task name, then a newline and the version when it has one. An execution's
-- is read from its row (read anyway to claim it), a child's parent's with one HMGET.
local function ofClaimedTask(id, row)
  local name = taskOf[id]
  if name == nil then
    local f = row and { row.taskName, row.version } or redis.call("HMGET", key("row", id), "taskName", "version")
    name = f[1] and f[2] and (f[1] .. "\\n" .. f[2]) or f[1] or false
    taskOf[id] = name
  end
  -- No row (false): a stale entry, which the claim path below removes.
  return name == false or wanted[name] == true
end

-- A claimed unit as JSON text: [kind, id, token, position, row, steps(, child step)]. The row is
-- an object of its fields without those only scripts use (dropped from the row table itself, which
-- is not used after this: no copy); the stored step JSONs go in as they are (no decoding and
-- re-encoding), so the reply is one string the worker parses at once. Kind and token (the claim id,
-- a UUID, and a number) need no escaping.
local function unitJson(kind, id, token, position, row, steps, child)
  row.token, row.lastRequest, row.createRequest, row.waitPosition = nil, nil, nil, nil
  local parts = { '["', kind, '",', cjson.encode(id), ',"', token, '",', position, ",",
    cjson.encode(row), ",[", table.concat(steps, ","), "]" }
  if child ~= nil then
    parts[#parts + 1] = ","
    parts[#parts + 1] = child
  end
  parts[#parts + 1] = "]"
  return table.concat(parts)
end

local CLAIM_DROPS = { "waitReason", "waitEvent", "rateLimitedUntil" }
local function claimExecution(set, id, row, token)
  if row == nil then
    redis.call("ZREM", set, id)
    return nil
  end
  local s = row.status
  local due = ((s == "pending" or s == "waiting") and row.runAt ~= nil and tonumber(row.runAt) <= nowMs)
    or (s == "running" and row.leaseExpiresAt ~= nil and tonumber(row.leaseExpiresAt) <= nowMs)
  if not due then
    syncDue(id, row)
    return nil
  end
  if s == "pending" and not takeRate(id, row) then return nil end
  local sets = { "token", token, "leaseOwner", workerId, "leaseExpiresAt", expiresAt }
  if row.startedAt == nil then
    sets[7], sets[8] = "startedAt", now
  end
  transition(id, row, "running", sets, CLAIM_DROPS)
  syncDue(id, row)
  return unitJson("execution", id, token, "-1", row, redis.call("HVALS", key("steps", id)))
end

-- The step JSONs at positions 0 … position - 1, fetched a chunk of fields at a time (unpack limit).
local function stepsBefore(id, position)
  local found = {}
  for first = 0, position - 1, 1000 do
    local fields = {}
    for p = first, math.min(first + 999, position - 1) do fields[#fields + 1] = p end
    for _, json in ipairs(redis.call("HMGET", key("steps", id), unpack(fields))) do
      if json then found[#found + 1] = json end
    end
  end
  return found
end

local function claimChild(member, id, position, token)
  local row = readRow(id)
  local step = nil
  if row ~= nil and not TERMINAL[row.status] then step = readStep(id, position) end
  if step == nil or step.kind ~= "parallel" or SETTLED[step.status] then
    redis.call("ZREM", DUE, member)
    return nil
  end
  step.status = "running"
  if step.startedAt == nil then step.startedAt = nowMs end
  step.leaseToken = token
  local json = cjson.encode(step)
  redis.call("HSET", key("steps", id), position, json)
  redis.call("ZADD", DUE, expiresAt, member)
  return unitJson("child", id, token, ms(position), row, stepsBefore(id, position), json)
end

-- Candidates of other tasks stay in the due set untouched; the scan resumes after them from the last
-- score seen ("from") and the number of skipped members at that score ("tied"), since claimed and
-- corrected members leave the range and skipped ones stay ahead of the unseen ones.
local skipped = 0
local function scan(set)
local from, tied = "-inf", 0
while #claimed < limit and (#claimed == 0 or skipped < SKIP_BUDGET) do
  local count = math.max(limit - #claimed, math.min(skipped, 1000))
  local batch = redis.call("ZRANGEBYSCORE", set, from, now, "WITHSCORES", "LIMIT", tied, count)
  if #batch == 0 then break end
  for i = 1, #batch, 2 do
    if #claimed >= limit or (#claimed > 0 and skipped >= SKIP_BUDGET) then break end
    local member = batch[i]
    if batch[i + 1] ~= from then from, tied = batch[i + 1], 0 end
    local sep = string.find(member, "\\n", 1, true)
    local id = sep == nil and member or string.sub(member, 1, sep - 1)
    local row, group, max = nil, nil, nil
    if sep == nil then
      row = readRow(id)
      group, max = limitOf(row)
    end
    if not ofClaimedTask(id, row) or (group ~= nil and heldIn(group) >= max) then
      skipped, tied = skipped + 1, tied + 1
    else
      local token = ARGV[6] .. "." .. (#claimed + 1)
      local unit
      if sep == nil then
        unit = claimExecution(set, id, row, token)
        if unit ~= nil and group ~= nil then
          redis.call("ZADD", concurrencySet(group), 0, id)
          held[group] = held[group] + 1
        end
      else
        unit = claimChild(member, id, tonumber(string.sub(member, sep + 1)), token)
      end
      if unit ~= nil then claimed[#claimed + 1] = unit end
    end
  end
end
end

-- Prioritized executions first, level by level from the highest; then everything else.
for _, level in ipairs(redis.call("ZREVRANGE", PRIORITY_LEVELS, 0, -1)) do
  if #claimed >= limit then break end
  scan(base .. "due:p:" .. level)
end
scan(DUE)
return "[" .. table.concat(claimed, ",") .. "]"
`,
);
