import { defineScript } from "./prelude.js";

/**
 * Schedules: `schedule:<id>` hash (taskName, dueAt ms or "", version, body, request), the
 * `schedules` zset of every id (score 0: lexicographic order) and `schedules-due` (id by dueAt).
 */
const SCHEDULE_HELPERS = `
local ALL_SCHEDULES = base .. "schedules"
local DUE_SCHEDULES = base .. "schedules-due"
local function putSchedule(sid, taskName, dueAt, version, body, request)
  redis.call("HSET", key("schedule", sid), "taskName", taskName, "dueAt", dueAt, "version", version,
    "body", body, "request", request)
  redis.call("ZADD", ALL_SCHEDULES, 0, sid)
  if present(dueAt) then redis.call("ZADD", DUE_SCHEDULES, dueAt, sid) else redis.call("ZREM", DUE_SCHEDULES, sid) end
end
local function readSchedule(sid)
  local h = redis.call("HMGET", key("schedule", sid), "taskName", "dueAt", "version", "body")
  if h[1] == false then return nil end
  return { sid, h[1], h[2], h[3], h[4] }
end
`;

/** Inserts a schedule → 1, or 0 when its id is in use. ARGV = base, id, taskName, dueAt, version, body. */
export const createScheduleScript = defineScript(
  "zartCreateSchedule",
  `${SCHEDULE_HELPERS}
if redis.call("EXISTS", key("schedule", ARGV[2])) == 1 then return 0 end
putSchedule(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], "")
return 1
`,
);

/**
 * Compare-and-set on version, then creates each fire's execution whose id is unknown (publishing
 * `created`), in one script. Returns { 1, created ids… } or { 0 } (version mismatch or deleted).
 * A repeated delivery of the same call (same request id) answers { 1 } without writing again.
 *
 * ARGV = base, id, taskName, dueAt, version, body, expectedVersion, now, origin, request, then
 * 9 per execution: executionId, taskName, payload, runAt, and (opt) version, priority,
 * concurrencyKey, traceContext, rateKey.
 */
export const writeScheduleScript = defineScript(
  "zartWriteSchedule",
  `${SCHEDULE_HELPERS}
local sid, now, origin, request = ARGV[2], ARGV[8], ARGV[9], ARGV[10]
local current = redis.call("HMGET", key("schedule", sid), "version", "request")
if current[1] == false then return { 0 } end
if current[2] == request then return { 1 } end
if current[1] ~= ARGV[7] then return { 0 } end
putSchedule(sid, ARGV[3], ARGV[4], ARGV[5], ARGV[6], request)
local reply = { 1 }
for i = 11, #ARGV, 9 do
  local id = ARGV[i]
  if redis.call("EXISTS", key("row", id)) == 0 then
    insertExecution(id, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], now, request, opt(ARGV[i + 5]), opt(ARGV[i + 6]),
      opt(ARGV[i + 7]), opt(ARGV[i + 4]), opt(ARGV[i + 8]))
    publish("created", id, origin)
    reply[#reply + 1] = id
  end
end
return reply
`,
);

/** Deletes a schedule → 1, or 0 when unknown. ARGV = base, id. */
export const deleteScheduleScript = defineScript(
  "zartDeleteSchedule",
  `${SCHEDULE_HELPERS}
redis.call("ZREM", ALL_SCHEDULES, ARGV[2])
redis.call("ZREM", DUE_SCHEDULES, ARGV[2])
return redis.call("DEL", key("schedule", ARGV[2]))
`,
);

/**
 * Reads schedules as { id, taskName, dueAt, version, body } tuples. ARGV = base, mode, …:
 * "get", id | "list", offset, limit | "due", now, limit, taskNames….
 */
export const readSchedulesScript = defineScript(
  "zartReadSchedules",
  `${SCHEDULE_HELPERS}
local mode, out = ARGV[2], {}
if mode == "get" then
  local s = readSchedule(ARGV[3])
  if s then out[1] = s end
elseif mode == "list" then
  local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
  for _, sid in ipairs(redis.call("ZRANGE", ALL_SCHEDULES, offset, offset + limit - 1)) do
    out[#out + 1] = readSchedule(sid)
  end
else
  local limit, wanted = tonumber(ARGV[4]), {}
  for i = 5, #ARGV do wanted[ARGV[i]] = true end
  for _, sid in ipairs(redis.call("ZRANGEBYSCORE", DUE_SCHEDULES, "-inf", ARGV[3])) do
    local s = readSchedule(sid)
    if s and wanted[s[2]] then
      out[#out + 1] = s
      if #out >= limit then break end
    end
  end
end
return out
`,
);
