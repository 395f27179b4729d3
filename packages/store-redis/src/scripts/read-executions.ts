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
