import type { WorkerRecord } from "@zart/core/store";
import { asc, eq, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { type WorkerRow, workers } from "../db/schema.js";

function toRecord(row: WorkerRow): WorkerRecord {
  return {
    workerId: row.workerId,
    host: row.host,
    pid: row.pid,
    taskNames: JSON.parse(row.taskNames) as string[],
    concurrency: row.concurrency,
    leaseMs: row.leaseMs,
    startedAt: row.startedAt,
    heartbeatAt: row.heartbeatAt,
  };
}

/** One upsert; `max()` keeps the heartbeat from moving back under a delayed call. */
export async function heartbeatWorker(
  ctx: SqliteContext,
  worker: Omit<WorkerRecord, "heartbeatAt">,
  now: Date,
): Promise<void> {
  const { orm } = ctx;
  const fields = {
    host: worker.host,
    pid: worker.pid,
    taskNames: JSON.stringify(worker.taskNames),
    concurrency: worker.concurrency,
    leaseMs: worker.leaseMs,
    startedAt: worker.startedAt,
  };
  return ctx.write(() => {
    orm
      .insert(workers)
      .values({ workerId: worker.workerId, ...fields, heartbeatAt: now })
      .onConflictDoUpdate({
        target: workers.workerId,
        set: { ...fields, heartbeatAt: sql`max(${workers.heartbeatAt}, excluded.heartbeat_at)` },
      })
      .run();
  });
}

export async function listWorkers(ctx: SqliteContext): Promise<WorkerRecord[]> {
  const { orm } = ctx;
  return ctx.read(() => orm.select().from(workers).orderBy(asc(workers.workerId)).all().map(toRecord));
}

export async function removeWorker(ctx: SqliteContext, workerId: string): Promise<boolean> {
  const { orm } = ctx;
  return ctx.write(() => {
    return orm.delete(workers).where(eq(workers.workerId, workerId)).returning().all().length > 0;
  });
}
