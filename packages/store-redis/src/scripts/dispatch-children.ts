import { defineScript } from "./prelude.js";

/**
 * Fenced: inserts the children that do not exist yet (kind `parallel`, `pending`, due now). If any
 * child of the execution is unsettled, the execution parks on them (until `wakeAt`, "" = only the
 * last settle wakes it) → { "suspended", inserted? }; otherwise it keeps its lease → { "ready", step JSONs }.
 * Publishes `created` when children were inserted, so idle workers elsewhere claim them at once.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, wakeAt, now, data (opt), timeoutAt (opt),
 * origin, then position, name pairs. A repeated delivery of a call that parked → { "suspended", 0 };
 * of one that did not, it inserts nothing new and answers the same.
 */
export const dispatchChildrenScript = defineScript(
  "zartDispatchChildren",
  `
local id, request, wakeAt, now, origin = ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[9]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return { "suspended", 0 } end
applyPatch(id, row, ARGV[7], ARGV[8])
local inserted = 0
for i = 10, #ARGV, 2 do
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
  releasedBy(id, row, request)
  return { "suspended", inserted }
end
return { "ready", redis.call("HVALS", key("steps", id)) }
`,
);
