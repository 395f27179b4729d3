import { defineScript } from "./prelude.js";

/**
 * The worker registry: the `workers` hash (worker id → JSON of its row without the heartbeat) and
 * the `worker-beats` hash (worker id → last heartbeat, ms).
 */
const WORKER_KEYS = `
local WORKERS = base .. "workers"
local BEATS = base .. "worker-beats"
`;

/**
 * Upserts a worker's row; its heartbeat becomes the later of the stored one and `now`.
 * ARGV = base, workerId, row JSON, now.
 */
export const heartbeatWorkerScript = defineScript(
  "zartHeartbeatWorker",
  `${WORKER_KEYS}
local beat = ARGV[4]
local stored = redis.call("HGET", BEATS, ARGV[2])
if stored and tonumber(stored) > tonumber(beat) then beat = stored end
redis.call("HSET", WORKERS, ARGV[2], ARGV[3])
redis.call("HSET", BEATS, ARGV[2], beat)
return 1
`,
);

/** Every worker as { id, row JSON, heartbeat ms }. ARGV = base. */
export const listWorkersScript = defineScript(
  "zartListWorkers",
  `${WORKER_KEYS}
local out, rows = {}, redis.call("HGETALL", WORKERS)
for i = 1, #rows, 2 do
  out[#out + 1] = { rows[i], rows[i + 1], redis.call("HGET", BEATS, rows[i]) or "0" }
end
return out
`,
);

/** Deletes a worker's row → 1, or 0 when unknown. ARGV = base, workerId. */
export const removeWorkerScript = defineScript(
  "zartRemoveWorker",
  `${WORKER_KEYS}
redis.call("HDEL", BEATS, ARGV[2])
return redis.call("HDEL", WORKERS, ARGV[2])
`,
);
