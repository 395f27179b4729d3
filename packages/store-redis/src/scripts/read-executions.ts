import { defineScript } from "./prelude.js";

/**
 * One consistent read of one execution: { row, step JSONs, event JSONs } (row empty when unknown).
 *
 * KEYS[1] = row key. ARGV = base, id.
 */
export const getExecutionScript = defineScript("zartGetExecution", "return details(ARGV[2])");

/**
 * One consistent read of a page of an index (newest first: scores are -createdAt, ties by id):
 * the details of each execution in it. The score range [min, max] carries the created time range
 * and the keyset position; when the position is inside the range, `tieScore` is its score and the
 * members of that score up to `tieId` (earlier in list order) are skipped.
 *
 * KEYS[1] = due key (routing). ARGV = base, index key suffix, offset, limit (> 0), min, max,
 * tieScore ("" = none), tieId.
 */
export const listExecutionsScript = defineScript(
  "zartListExecutions",
  `
local index, offset, limit = base .. ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if ARGV[7] ~= "" then
  for _, id in ipairs(redis.call("ZRANGEBYSCORE", index, ARGV[7], ARGV[7])) do
    if id <= ARGV[8] then offset = offset + 1 end
  end
end
local ids = redis.call("ZRANGEBYSCORE", index, ARGV[5], ARGV[6], "LIMIT", offset, limit)
local page = {}
for i, id in ipairs(ids) do page[i] = details(id) end
return page
`,
);

/**
 * One run of an execution: `{ "current", details }` when it is the current run, `{ "archived",
 * JSON of its details }` when archived; nil when unknown.
 *
 * KEYS[1] = row key. ARGV = base, id, run (an integer ≥ 1).
 */
export const getRunScript = defineScript(
  "zartGetRun",
  `
local id, run = ARGV[2], ARGV[3]
local row = readRow(id)
if row ~= nil and (row.run or "1") == run then return { "current", details(id) } end
local snapshot = redis.call("HGET", key("runs", id), run)
if snapshot then return { "archived", snapshot } end
return nil
`,
);

/**
 * The rows (flat) of every run of an execution: the current one (if any), then the archived ones.
 *
 * KEYS[1] = row key. ARGV = base, id.
 */
export const listRunsScript = defineScript(
  "zartListRuns",
  `
local id = ARGV[2]
local rows = {}
local current = redis.call("HGETALL", key("row", id))
if #current > 0 then rows[1] = current end
for _, snapshot in ipairs(redis.call("HVALS", key("runs", id))) do
  rows[#rows + 1] = cjson.decode(snapshot)[1]
end
return rows
`,
);

/**
 * Deletes up to `batch` runs of the given statuses completed before `olderThan`: archived runs (from
 * the `run-ended:<status>` indexes), then terminal executions with their steps, mailboxes, index
 * entries, every archived run and the debounce holder naming it (from the `ended:<status>` indexes; no
 * scan). Returns { deleted
 * runs, more } (more = 1 when the batch filled up: call again). Each batch is atomic; batching
 * keeps one script from blocking the server for long.
 *
 * KEYS[1] = due key. ARGV = base, olderThan, batch, status1..statusN.
 */
export const purgeScript = defineScript(
  "zartPurge",
  `
local olderThan, batch = tonumber(ARGV[2]), tonumber(ARGV[3])
local deleted, more = 0, 0
-- Up to the rest of the batch from an index scored by completion time, completed before olderThan.
local function expired(index)
  local want = batch - deleted
  if want <= 0 then
    more = 1
    return {}
  end
  local members = redis.call("ZRANGEBYSCORE", index, "-inf", "(" .. ms(olderThan), "LIMIT", 0, want)
  if #members == want then more = 1 end
  return members
end
for i = 4, #ARGV do
  local status = ARGV[i]
  for _, member in ipairs(expired(base .. "run-ended:" .. status)) do
    local id, run = string.match(member, "^(.*)\\n(%d+)$")
    deleted = deleted + redis.call("HDEL", key("runs", id), run)
    redis.call("ZREM", base .. "run-ended:" .. status, member)
  end
  for _, id in ipairs(expired(base .. "ended:" .. status)) do
    local row = readRow(id)
    if row ~= nil and row.status == status and tonumber(row.completedAt) < olderThan then
      -- A debounce holder still naming it goes with it (a later start would only overwrite it).
      if row.debounceSlot ~= nil and redis.call("HGET", row.debounceSlot, "id") == id then
        redis.call("DEL", row.debounceSlot)
      end
      deleteExecution(id, row)
      deleted = deleted + 1 + deleteRuns(id)
    else
      redis.call("ZREM", base .. "ended:" .. status, id)
    end
  end
end
return { deleted, more }
`,
);
