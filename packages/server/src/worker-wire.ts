import type { LeaseInfo, WorkerInfo } from "@zart/core";
import type { WireExecution } from "./schemas.js";
import type { WireWorker } from "./worker-schemas.js";

/** A registered worker in the API's snake_case. */
export function toWireWorker(worker: WorkerInfo): WireWorker {
  return {
    worker_id: worker.workerId,
    host: worker.host,
    pid: worker.pid,
    tasks: worker.tasks,
    concurrency: worker.concurrency,
    lease_ms: worker.leaseMs,
    started_at: worker.startedAt.toISOString(),
    last_heartbeat_at: worker.lastHeartbeatAt.toISOString(),
    state: worker.state,
  };
}

/** A running execution's lease in the API's snake_case. */
export function toWireLease(lease: LeaseInfo): NonNullable<WireExecution["lease"]> {
  return {
    worker_id: lease.workerId,
    ...(lease.host !== undefined ? { host: lease.host } : {}),
    ...(lease.pid !== undefined ? { pid: lease.pid } : {}),
    ...(lease.workerGone !== undefined ? { worker_gone: lease.workerGone } : {}),
    expires_at: lease.expiresAt.toISOString(),
    expired: lease.expired,
    ...(lease.note !== undefined ? { note: lease.note } : {}),
    ...(lease.stepSince ? { step_since: lease.stepSince.toISOString() } : {}),
    running_steps: lease.runningSteps.map((step) => ({
      name: step.name,
      ...(step.since ? { since: step.since.toISOString() } : {}),
    })),
  };
}
