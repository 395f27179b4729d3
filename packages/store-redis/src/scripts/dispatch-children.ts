import { defineScript } from "./prelude.js";

/**
 * Fenced: inserts the children that do not exist yet (kind `parallel`, `pending`, due now). If any
 * child of the execution is unsettled, the execution parks on them (until `wakeAt`, "" = only the
 * last settle wakes it) → { "suspended", inserted? }; otherwise it keeps its lease → { "ready", step JSONs }.
 * Publishes `created` when children were inserted, so idle workers elsewhere claim them at once.
 *
 * KEYS[1] = row key. ARGV = base, id, token, wakeAt, now, data (opt), timeoutAt (opt), origin,
 * then position, name pairs.
 */
export const dispatchChildrenScript = defineScript(
  "zartDispatchChildren",
  `
local id, wakeAt, now, origin = ARGV[2], ARGV[4], ARGV[5], ARGV[8]
local row = fence(id, ARGV[3])
applyPatch(id, row, ARGV[6], ARGV[7])
local inserted = 0
for i = 9, #ARGV, 2 do
  local position, name = ARGV[i], ARGV[i + 1]
  if redis.call("HEXISTS", key("steps", id), position) == 0 then
    writeStep(id, { position = tonumber(position), name = name, kind = "parallel", status = "pending", attempts = 0 })
    redis.call("ZADD", DUE, now, childMember(id, position))
    inserted = 1
  end
end
if inserted == 1 then publish("created", id, origin) end
if redis.call("SCARD", key("unsettled", id)) > 0 then
  park(id, row, "children", wakeAt, "")
  return { "suspended", inserted }
end
return { "ready", redis.call("HVALS", key("steps", id)) }
`,
);
