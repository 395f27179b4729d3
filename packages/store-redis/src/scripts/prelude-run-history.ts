/**
 * Lua helpers reading an execution whole and keeping its run history (part of the prelude every
 * script starts with: see prelude.ts).
 */
export const RUN_HISTORY_HELPERS = `
-- One consistent read of an execution: { row (flat), step JSONs, event JSONs }.
local function details(id)
  return {
    redis.call("HGETALL", key("row", id)),
    redis.call("HVALS", key("steps", id)),
    redis.call("LRANGE", key("events", id), 0, -1),
  }
end

-- Run history: runs:<id> holds each replaced run of id (run number → JSON of its details() just
-- before the replacement); run-ended:<status> indexes them by completedAt for purge.
local function runMember(id, run) return id .. "\\n" .. run end

-- Archives the terminal execution id as its run (its row then carries "run") and deletes it;
-- returns the number of the run that replaces it.
local function replaceRun(id, row)
  local run = ms(tonumber(row.run or "1"))
  hset(id, row, "run", run)
  redis.call("HSET", key("runs", id), run, cjson.encode(details(id)))
  redis.call("ZADD", base .. "run-ended:" .. row.status, row.completedAt, runMember(id, run))
  deleteExecution(id, row)
  return tonumber(run) + 1
end

-- Numbers a new execution as run \`run\` (absent on the row: run 1).
local function numberRun(id, row, run)
  if run > 1 then hset(id, row, "run", ms(run)) end
end

-- Deletes every archived run of id; returns how many.
local function deleteRuns(id)
  local runs = redis.call("HKEYS", key("runs", id))
  for _, run in ipairs(runs) do
    for status in pairs(TERMINAL) do redis.call("ZREM", base .. "run-ended:" .. status, runMember(id, run)) end
  end
  redis.call("DEL", key("runs", id))
  return #runs
end
`;
