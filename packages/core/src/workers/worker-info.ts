import type { WorkerRecord } from "../scheduler/workers.js";

/** A registered worker as `durable.listWorkers()` shows it. */
export interface WorkerInfo {
  workerId: string;
  host: string;
  pid: number;
  /** The tasks it claims. */
  tasks: string[];
  concurrency: number;
  /** Its lease duration (ms). */
  leaseMs: number;
  startedAt: Date;
  lastHeartbeatAt: Date;
  /** `gone`: no heartbeat for longer than its lease duration (crashed, or cut off from the store). */
  state: "alive" | "gone";
}

/** Whether a worker that last beat at `heartbeatAt` with leases of `leaseMs` is gone at `now`. */
export function isGone(record: WorkerRecord, now: Date): boolean {
  return now.getTime() - record.heartbeatAt.getTime() > record.leaseMs;
}

export function toWorkerInfo(record: WorkerRecord, now: Date): WorkerInfo {
  return {
    workerId: record.workerId,
    host: record.host,
    pid: record.pid,
    tasks: [...record.taskNames],
    concurrency: record.concurrency,
    leaseMs: record.leaseMs,
    startedAt: record.startedAt,
    lastHeartbeatAt: record.heartbeatAt,
    state: isGone(record, now) ? "gone" : "alive",
  };
}
