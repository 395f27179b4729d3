import type { WorkerRecord } from "@zart/core/store";
import { millis } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

type StoredRow = Omit<WorkerRecord, "startedAt" | "heartbeatAt"> & { startedAt: number };

/** One script: the row replaced, the heartbeat moved forward only. */
export async function heartbeatWorker(
  ctx: RedisContext,
  worker: Omit<WorkerRecord, "heartbeatAt">,
  now: Date,
): Promise<void> {
  const row: StoredRow = { ...worker, startedAt: worker.startedAt.getTime() };
  await ctx.executor.runGlobal("heartbeatWorker", [worker.workerId, JSON.stringify(row), millis(now)]);
}

export async function listWorkers(ctx: RedisContext): Promise<WorkerRecord[]> {
  const rows = (await ctx.executor.runGlobal("listWorkers", [])) as [string, string, string][];
  return rows
    .map(([, json, beat]) => {
      const row = JSON.parse(String(json)) as StoredRow;
      return { ...row, startedAt: new Date(row.startedAt), heartbeatAt: new Date(Number(beat)) };
    })
    .sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
}

export async function removeWorker(ctx: RedisContext, workerId: string): Promise<boolean> {
  return (await ctx.executor.runGlobal("removeWorker", [workerId])) === 1;
}
