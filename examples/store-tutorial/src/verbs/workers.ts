import type { WorkerRecord } from "@zart/core/store";
import type { TutorialStorage } from "../storage/tutorial-storage.js";

// The worker registry: one row per worker, replaced by each heartbeat (a database store upserts).

/** The heartbeat only moves forward: a delayed call must not make a live worker look gone. */
export function heartbeatWorker(
  storage: TutorialStorage,
  worker: Omit<WorkerRecord, "heartbeatAt">,
  now: Date,
): void {
  const stored = storage.workers.get(worker.workerId);
  const heartbeatAt = stored && stored.heartbeatAt > now ? stored.heartbeatAt : now;
  storage.workers.set(worker.workerId, structuredClone({ ...worker, heartbeatAt }));
}

export function listWorkers(storage: TutorialStorage): WorkerRecord[] {
  return [...storage.workers.values()]
    .sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0))
    .map((row) => structuredClone(row));
}

export function removeWorker(storage: TutorialStorage, workerId: string): boolean {
  return storage.workers.delete(workerId);
}
