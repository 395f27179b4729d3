import { defineScript } from "./prelude.js";

/**
 * One consistent read of one execution: { row, step JSONs, event JSONs } (row empty when unknown).
 *
 * KEYS[1] = row key. ARGV = base, id.
 */
export const getExecutionScript = defineScript("zartGetExecution", "return details(ARGV[2])");

/**
 * One consistent read of a page of an index (newest first: scores are -createdAt, ties by id):
 * the details of each execution in it.
 *
 * KEYS[1] = due key (routing). ARGV = base, index key suffix, offset, limit (> 0).
 */
export const listExecutionsScript = defineScript(
  "zartListExecutions",
  `
local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call("ZRANGE", base .. ARGV[2], offset, offset + limit - 1)
local page = {}
for i, id in ipairs(ids) do page[i] = details(id) end
return page
`,
);

/**
 * Deletes up to `batch` terminal executions of the given statuses completed before `olderThan`,
 * with their steps, mailboxes and index entries, read from the `ended:<status>` indexes (no scan).
 * Returns { deleted, more } (more = 1 when the batch filled up: call again). Each batch is atomic;
 * batching keeps one script from blocking the server for long.
 *
 * KEYS[1] = due key. ARGV = base, olderThan, batch, status1..statusN.
 */
export const purgeScript = defineScript(
  "zartPurge",
  `
local olderThan, batch = tonumber(ARGV[2]), tonumber(ARGV[3])
local deleted, more = 0, 0
for i = 4, #ARGV do
  local status = ARGV[i]
  local want = batch - deleted
  if want <= 0 then
    more = 1
    break
  end
  local ids = redis.call("ZRANGEBYSCORE", base .. "ended:" .. status, "-inf", "(" .. ms(olderThan), "LIMIT", 0, want)
  for _, id in ipairs(ids) do
    local row = readRow(id)
    if row ~= nil and row.status == status and tonumber(row.completedAt) < olderThan then
      deleteExecution(id, row)
      deleted = deleted + 1
    else
      redis.call("ZREM", base .. "ended:" .. status, id)
    end
  end
  if #ids == want then more = 1 end
end
return { deleted, more }
`,
);
