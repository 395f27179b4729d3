import { defineScript } from "./prelude.js";

/**
 * Fenced by the parent's lease: if the parent has a step at `position`, returns it (a repeated
 * call). Otherwise creates the child execution (as `createExecution` would: an unfinished one of
 * that id → `ZART_EXISTS`, nothing written; a terminal one is archived as its run and replaced)
 * with `parentId` and `detached`, lists it in `children:<parent>`, and writes the parent's `child`
 * step, in one script.
 * Publishes `created`. Returns `{ step JSON, created (0/1) }`.
 *
 * KEYS[1] = parent row key. ARGV = base, id, token, request, position, stepName, childId, taskName,
 * payload, detached (0/1), data (opt), timeoutAt (opt), now, origin, step result (the JSON text of
 * childId: cjson would escape "/"), traceContext (opt), version (opt).
 */
export const startChildExecutionScript = defineScript(
  "zartStartChildExecution",
  `
local id, request, position, stepName = ARGV[2], ARGV[4], ARGV[5], ARGV[6]
local childId, taskName, payload, detached, now, origin = ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[13], ARGV[14]
local row = fence(id, ARGV[3], request)
local recorded = redis.call("HGET", key("steps", id), position)
if recorded then return { recorded, 0 } end
local old = readRow(childId)
local run = 1
if old ~= nil then
  if not TERMINAL[old.status] then fail("EXISTS", childId) end
  run = replaceRun(childId, old)
end
applyPatch(id, row, ARGV[11], ARGV[12])
local child = { executionId = childId, taskName = taskName, payload = payload, status = "pending",
  attempt = "0", runAt = now, scheduledAt = now, createdAt = now }
redis.call("HSET", key("row", childId), "executionId", childId, "taskName", taskName, "payload", payload,
  "status", "pending", "attempt", "0", "runAt", now, "scheduledAt", now, "createdAt", now,
  "parentId", id, "detached", detached)
if opt(ARGV[16]) ~= nil then redis.call("HSET", key("row", childId), "traceContext", opt(ARGV[16])) end
numberRun(childId, child, run)
setVersion(childId, child, opt(ARGV[17]))
index(childId, child)
redis.call("ZADD", base .. "created", newestFirst(now), childId)
redis.call("ZADD", base .. "task:" .. taskName, newestFirst(now), childId)
redis.call("ZADD", key("children", id), newestFirst(now), childId)
syncDue(childId, child)
local step = { position = tonumber(position), name = stepName, kind = "child", status = "completed",
  result = ARGV[15], attempts = 1, startedAt = tonumber(now), completedAt = tonumber(now) }
writeStep(id, step)
publish("created", childId, origin)
return { cjson.encode(step), 1 }
`,
);

/**
 * Fenced by the parent's lease: when every child in `childIds` is terminal → `{ "settled", rows… }`
 * (`HGETALL` of each, in order; nothing written). Otherwise saves the wait step (`waiting`) and
 * parks the parent (`waitReason = "child-executions"`) → `{ "suspended" }`. Atomic with the
 * scripts that settle a child (they wake a parked parent). An unknown child → `ZART_NOT_FOUND`.
 *
 * KEYS[1] = parent row key. ARGV = base, id, token, request, position, stepName, wakeAt (""),
 * data (opt), timeoutAt (opt), now, childId…
 */
export const awaitChildExecutionsScript = defineScript(
  "zartAwaitChildExecutions",
  `
local id, request, position, stepName, wakeAt, now = ARGV[2], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[10]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return { "suspended" } end
local rows, settled = {}, true
for i = 11, #ARGV do
  local child = readRow(ARGV[i])
  if child == nil then fail("NOT_FOUND", ARGV[i]) end
  if not TERMINAL[child.status] then settled = false end
  table.insert(rows, redis.call("HGETALL", key("row", ARGV[i])))
end
if settled then return { "settled", rows } end
applyPatch(id, row, ARGV[8], ARGV[9])
writeStep(id, { position = tonumber(position), name = stepName, kind = "child", status = "waiting",
  attempts = 1, startedAt = tonumber(now) })
park(id, row, "child-executions", wakeAt, nil)
releasedBy(id, row, request)
return { "suspended" }
`,
);
