import type { ExecutionDetails } from "../scheduler/records.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import { isGone } from "./worker-info.js";

/** Who runs a `running` execution, as `status()` shows it. */
export interface LeaseInfo {
  /** The worker holding the lease. */
  workerId: string;
  /** Its host and pid, from the worker registry (absent when it is not registered). */
  host?: string;
  pid?: number;
  /** The holder stopped heart-beating for longer than its lease duration. */
  workerGone?: boolean;
  expiresAt: Date;
  /** The lease expired: the execution is waiting to be reclaimed by another worker. */
  expired: boolean;
  /** `"lease expired, waiting to be reclaimed"` once expired; absent while held. */
  note?: string;
  /**
   * When the step now running began: the execution's last checkpoint (the latest step completion
   * of this attempt, else its start). Steps are recorded when they end, so the store knows when the
   * running one began but not its name.
   */
  stepSince?: Date;
  /** Parallel steps running now (their rows are claimed units), with their start. */
  runningSteps: { name: string; since?: Date }[];
}

/** The lease of a running execution, with its holder looked up in the registry (one read). */
export async function leaseInfo(
  scheduler: Scheduler,
  { execution, steps }: ExecutionDetails,
): Promise<LeaseInfo | undefined> {
  if (execution.status !== "running" || !execution.leaseOwner || !execution.leaseExpiresAt) return undefined;
  const now = scheduler.clock.now();
  const worker = (await scheduler.listWorkers()).find((w) => w.workerId === execution.leaseOwner);
  const expired = execution.leaseExpiresAt.getTime() <= now.getTime();
  let stepSince = execution.startedAt;
  for (const step of steps) {
    if (step.completedAt && (!stepSince || step.completedAt > stepSince)) stepSince = step.completedAt;
  }
  return {
    workerId: execution.leaseOwner,
    ...(worker ? { host: worker.host, pid: worker.pid, workerGone: isGone(worker, now) } : {}),
    expiresAt: execution.leaseExpiresAt,
    expired,
    ...(expired ? { note: "lease expired, waiting to be reclaimed" } : {}),
    ...(stepSince ? { stepSince } : {}),
    runningSteps: steps
      .filter((step) => step.status === "running")
      .map((step) => ({ name: step.name, ...(step.startedAt ? { since: step.startedAt } : {}) })),
  };
}
