import { defineScript } from "./prelude.js";

/**
 * The backlog by task: the executions of the due sets (the plain one and each priority level) whose
 * score (wake time) is at most `now` and whose row is `pending` or `waiting` (a running one is
 * there by its lease expiry). Parallel children (`<id>\n<position>` members) are skipped. Reads
 * only what is due, one row lookup per due member, in one script: a consistent answer.
 * Returns a flat `[taskName, due, oldestDueAt (ms), …]`.
 *
 * KEYS[1] = the due set (routing). ARGV = base, now.
 */
export const countDueScript = defineScript(
  "zartCountDue",
  `
local now = ARGV[2]
local sets = { DUE }
for _, level in ipairs(redis.call("ZRANGE", PRIORITY_LEVELS, 0, -1)) do
  table.insert(sets, base .. "due:p:" .. level)
end
local counts, oldest, order = {}, {}, {}
for _, set in ipairs(sets) do
  local flat = redis.call("ZRANGEBYSCORE", set, "-inf", now, "WITHSCORES")
  for i = 1, #flat, 2 do
    local id = flat[i]
    if not string.find(id, "\\n", 1, true) then
      local fields = redis.call("HMGET", key("row", id), "status", "taskName")
      if fields[1] == "pending" or fields[1] == "waiting" then
        local task, at = fields[2], tonumber(flat[i + 1])
        if counts[task] == nil then
          counts[task], oldest[task] = 0, at
          table.insert(order, task)
        end
        counts[task] = counts[task] + 1
        if at < oldest[task] then oldest[task] = at end
      end
    end
  end
end
local reply = {}
for _, task in ipairs(order) do
  table.insert(reply, task)
  table.insert(reply, counts[task])
  table.insert(reply, tostring(oldest[task]))
end
return reply
`,
);
