import type { WorkerRecord } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";

function copyWorker(row: WorkerRecord): WorkerRecord {
  return {
    ...row,
    taskNames: [...row.taskNames],
    startedAt: new Date(row.startedAt),
    heartbeatAt: new Date(row.heartbeatAt),
  };
}

/** Upsert; the heartbeat only moves forward. */
export function heartbeatWorker(
  ctx: MemoryContext,
  worker: Omit<WorkerRecord, "heartbeatAt">,
  now: Date,
): void {
  const stored = ctx.storage.workers.get(worker.workerId);
  const heartbeatAt = stored && stored.heartbeatAt > now ? stored.heartbeatAt : now;
  ctx.storage.workers.set(worker.workerId, copyWorker({ ...worker, heartbeatAt }));
}

export function listWorkers(ctx: MemoryContext): WorkerRecord[] {
  return [...ctx.storage.workers.values()]
    .sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0))
    .map(copyWorker);
}

export function removeWorker(ctx: MemoryContext, workerId: string): boolean {
  return ctx.storage.workers.delete(workerId);
}
