import type { WorkerRecord } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";

interface WorkerRow {
  worker_id: string;
  host: string;
  pid: number;
  task_names: string[];
  concurrency: number;
  lease_ms: number;
  started_at: Date;
  heartbeat_at: Date;
}

function toRecord(row: WorkerRow): WorkerRecord {
  return {
    workerId: row.worker_id,
    host: row.host,
    pid: row.pid,
    taskNames: row.task_names,
    concurrency: row.concurrency,
    leaseMs: row.lease_ms,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  };
}

/** One upsert; `GREATEST` keeps the heartbeat from moving back under a delayed call. */
const heartbeatSql = statement(
  "heartbeat-worker",
  (n) => `
  INSERT INTO ${n.workers} AS w
    (worker_id, host, pid, task_names, concurrency, lease_ms, started_at, heartbeat_at)
  VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8)
  ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, pid = excluded.pid,
    task_names = excluded.task_names, concurrency = excluded.concurrency, lease_ms = excluded.lease_ms,
    started_at = excluded.started_at, heartbeat_at = GREATEST(w.heartbeat_at, excluded.heartbeat_at)`,
);

const listSql = statement("list-workers", (n) => `SELECT * FROM ${n.workers} ORDER BY worker_id`);

const removeSql = statement(
  "remove-worker",
  (n) => `DELETE FROM ${n.workers} WHERE worker_id = $1 RETURNING worker_id`,
);

export async function heartbeatWorker(
  db: Database,
  worker: Omit<WorkerRecord, "heartbeatAt">,
  now: Date,
): Promise<void> {
  await db.run(heartbeatSql, [
    worker.workerId,
    worker.host,
    worker.pid,
    worker.taskNames,
    worker.concurrency,
    worker.leaseMs,
    worker.startedAt,
    now,
  ]);
}

export async function listWorkers(db: Database): Promise<WorkerRecord[]> {
  return (await db.run<WorkerRow>(listSql, [])).rows.map(toRecord);
}

export async function removeWorker(db: Database, workerId: string): Promise<boolean> {
  return ((await db.run(removeSql, [workerId])).rowCount ?? 0) > 0;
}
