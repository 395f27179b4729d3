/**
 * pg-boss: a Postgres job queue. One `work()` loop fetching batches of `concurrency` jobs and
 * running them in parallel, at pg-boss's minimum polling interval (0.5 s; default 2 s).
 */
import PgBoss from "pg-boss";
import { chunks } from "../harness/limit.js";
import { resetDatabase } from "../harness/services.js";
import { packageVersion } from "../harness/versions.js";
import type { TaskInput } from "../tasks.js";
import { BULK, JOB_KINDS } from "./queue-common.js";
import {
  type PreparedWorker,
  type SystemAdapter,
  type SystemEnv,
  slotted,
  type WorkerOptions,
} from "./types.js";

const QUEUE = "one-step";
const POLL_SECONDS = 0.5;

function boss(pgUrl: string | undefined): PgBoss {
  const instance = new PgBoss({ connectionString: pgUrl ?? "", max: 10, schedule: false, supervise: false });
  instance.on("error", (error) => console.error("[pg-boss]", error.message));
  return instance;
}

export const adapter: SystemAdapter = {
  name: "pg-boss",
  family: "queue",
  inProcess: false,
  multiProcess: true,
  kinds: JOB_KINDS,
  settings: `work() with batchSize = concurrency, pollingIntervalSeconds ${POLL_SECONDS} (the minimum), pool 10`,
  version: async () => `pg-boss ${await packageVersion("pg-boss")}`,
  async prepare(tag, slot) {
    const pgUrl = await resetDatabase(slotted("bench_pgboss", slot));
    const client = boss(pgUrl);
    await client.start();
    await client.createQueue(QUEUE);
    const env: SystemEnv = { system: "pg-boss", tag, pgUrl };
    return {
      env,
      client: {
        start: async (_kind, input) => {
          await client.send(QUEUE, input);
        },
        startMany: async (_kind, inputs) => {
          for (const part of chunks(inputs, BULK))
            await client.insert(
              QUEUE,
              part.map((data) => ({ name: QUEUE, data })),
            );
        },
        signal: () => Promise.reject(new Error("pg-boss has no events")),
        close: () => client.stop({ graceful: false, wait: true }),
      },
    };
  },
  async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
    const worker = boss(env.pgUrl);
    await worker.start();
    return {
      go: async () => {
        await worker.work<TaskInput>(
          QUEUE,
          { batchSize: options.concurrency, pollingIntervalSeconds: POLL_SECONDS },
          async (jobs) => {
            await Promise.all(jobs.map(async (job) => options.report("d", job.data.id)));
          },
        );
      },
      stop: () => worker.stop({ graceful: true, wait: true, timeout: 5000 }),
    };
  },
};
