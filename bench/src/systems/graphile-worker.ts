/**
 * graphile-worker: a Postgres job queue with LISTEN/NOTIFY. Two configurations: the defaults, and
 * "batched" (local queue + batched completions, the library's documented high-throughput mode).
 */
import { Logger, makeWorkerUtils, type Runner, run, type WorkerUtils } from "graphile-worker";
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

const TASK = "one-step";

const quiet = new Logger(() => (level, message) => {
  if (level === "error") console.error(`[graphile-worker] ${message}`);
});

function graphileAdapter(batched: boolean): SystemAdapter {
  const name = batched ? "graphile-worker-batched" : "graphile-worker";
  const database = batched ? "bench_graphile_batched" : "bench_graphile";
  return {
    name,
    family: "queue",
    inProcess: false,
    multiProcess: true,
    kinds: JOB_KINDS,
    settings: batched
      ? "concurrency = worker concurrency, pool 10 (default), localQueue.size 2 × concurrency, completeJobBatchDelay 0"
      : "concurrency = worker concurrency, defaults otherwise (pool 10, pollInterval 2 s, LISTEN/NOTIFY)",
    version: async () => `graphile-worker ${await packageVersion("graphile-worker")}`,
    async prepare(tag, slot) {
      const pgUrl = await resetDatabase(slotted(database, slot));
      const utils: WorkerUtils = await makeWorkerUtils({ connectionString: pgUrl, logger: quiet });
      await utils.migrate();
      const env: SystemEnv = { system: name, tag, pgUrl };
      return {
        env,
        client: {
          start: async (_kind, input) => {
            await utils.addJob(TASK, input);
          },
          startMany: async (_kind, inputs) => {
            for (const part of chunks(inputs, BULK)) {
              await utils.addJobs(part.map((payload) => ({ identifier: TASK, payload })));
            }
          },
          signal: () => Promise.reject(new Error("graphile-worker has no events")),
          close: async () => {
            await utils.release();
          },
        },
      };
    },
    async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
      let runner: Runner | undefined;
      return {
        go: async () => {
          runner = await run({
            connectionString: env.pgUrl ?? "",
            concurrency: options.concurrency,
            noHandleSignals: true,
            logger: quiet,
            taskList: {
              [TASK]: async (payload) => options.report("d", (payload as TaskInput).id),
            },
            ...(batched
              ? {
                  preset: {
                    worker: { localQueue: { size: 2 * options.concurrency }, completeJobBatchDelay: 0 },
                  },
                }
              : {}),
          });
        },
        stop: async () => {
          await runner?.stop();
        },
      };
    },
  };
}

export const adapter = graphileAdapter(false);
export const batchedAdapter = graphileAdapter(true);
