import { defineScript } from "./prelude.js";

/**
 * The operator's rerun: creates `newId` as a pending execution of the source's task (its version,
 * priority, concurrency and rate keys — the given ones instead when present —, `payload` or the source's input, `rerunOf`, `rerunFromStep`, no data, empty mailbox) whose steps
 * are copies of the source's settled steps before the first step named `fromStep` (lease fields
 * dropped). Every check runs first: unknown source → `ZART_NOT_FOUND`; no such step →
 * `ZART_STEP_NOT_FOUND`; `newId` exists → `ZART_EXISTS` (a repeated delivery of the same call, same
 * request id, answers the row it created). Publishes `created`. Returns the new row (flat).
 *
 * KEYS[1] = the source's row key (routing). ARGV = base, sourceId, newId, fromStep, payload (opt),
 * now, origin, request, traceContext (opt), concurrencyKey (opt), rateKey (opt).
 */
export const forkExecutionScript = defineScript(
  "zartForkExecution",
  `
local sourceId, newId, fromStep, now, origin, request = ARGV[2], ARGV[3], ARGV[4], ARGV[6], ARGV[7], ARGV[8]
local payload = opt(ARGV[5])
local source = readRow(sourceId)
if source == nil then fail("NOT_FOUND", sourceId) end
local flat = redis.call("HGETALL", key("steps", sourceId))
local from = nil
for i = 1, #flat, 2 do
  local step = cjson.decode(flat[i + 1])
  if step.name == fromStep and (from == nil or step.position < from) then from = step.position end
end
if from == nil then fail("STEP_NOT_FOUND", sourceId) end
local taken = readRow(newId)
if taken ~= nil then
  if taken.createRequest == request then return redis.call("HGETALL", key("row", newId)) end
  fail("EXISTS", newId)
end
insertExecution(newId, source.taskName, payload or source.payload, now, now, request, source.priority,
  opt(ARGV[10]) or source.concurrencyKey, opt(ARGV[9]), source.version, opt(ARGV[11]) or source.rateKey)
redis.call("HSET", key("row", newId), "rerunOf", sourceId, "rerunFromStep", fromStep)
for i = 1, #flat, 2 do
  local step = cjson.decode(flat[i + 1])
  if step.position < from and (step.status == "completed" or step.status == "failed") then
    step.leaseToken = nil
    redis.call("HSET", key("steps", newId), flat[i], cjson.encode(step))
  end
end
publish("created", newId, origin)
return redis.call("HGETALL", key("row", newId))
`,
);
