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
 * Returns, per unit: { kind ("execution"|"child"), id, token, position (-1 for an execution),
 * row (HGETALL), step JSONs (an execution's whole history; a child's steps before its position),
 * and for a child its own step JSON }.
 *
 * Fencing tokens are `<random claim id>.<n>`: unique per unit, unguessable, and one random id per
 * call (Lua's PRNG is deterministic, so the randomness comes from the caller).
 *
 * KEYS[1] = due key. ARGV = base, now, limit, leaseMs, workerId, claimId.
 */
export const claimScript = defineScript(
  "zartClaim",
  `
local now, limit, workerId = ARGV[2], tonumber(ARGV[3]), ARGV[5]
local expiresAt = ms(tonumber(now) + math.max(1, tonumber(ARGV[4])))
local claimed = {}

local function claimExecution(id, token)
  local row = readRow(id)
  if row == nil then
    redis.call("ZREM", DUE, id)
    return nil
  end
  local s = row.status
  local due = ((s == "pending" or s == "waiting") and row.runAt ~= nil and tonumber(row.runAt) <= tonumber(now))
    or (s == "running" and row.leaseExpiresAt ~= nil and tonumber(row.leaseExpiresAt) <= tonumber(now))
  if not due then
    syncDue(id, row)
    return nil
  end
  setStatus(id, row, "running")
  hset(id, row, "token", token)
  hset(id, row, "leaseOwner", workerId)
  hset(id, row, "leaseExpiresAt", expiresAt)
  if row.startedAt == nil then hset(id, row, "startedAt", now) end
  hdel(id, row, "waitReason")
  hdel(id, row, "waitEvent")
  syncDue(id, row)
  return { "execution", id, token, -1, redis.call("HGETALL", key("row", id)), redis.call("HVALS", key("steps", id)) }
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
  if step.startedAt == nil then step.startedAt = tonumber(now) end
  step.leaseToken = token
  local json = cjson.encode(step)
  redis.call("HSET", key("steps", id), position, json)
  redis.call("ZADD", DUE, expiresAt, member)
  return { "child", id, token, position, redis.call("HGETALL", key("row", id)), stepsBefore(id, position), json }
end

while #claimed < limit do
  local batch = redis.call("ZRANGEBYSCORE", DUE, "-inf", now, "LIMIT", 0, limit - #claimed)
  if #batch == 0 then break end
  for _, member in ipairs(batch) do
    if #claimed >= limit then break end
    local token = ARGV[6] .. "." .. (#claimed + 1)
    local sep = string.find(member, "\\n", 1, true)
    local unit
    if sep == nil then
      unit = claimExecution(member, token)
    else
      unit = claimChild(member, string.sub(member, 1, sep - 1), tonumber(string.sub(member, sep + 1)), token)
    end
    if unit ~= nil then claimed[#claimed + 1] = unit end
  end
end
return claimed
`,
);
