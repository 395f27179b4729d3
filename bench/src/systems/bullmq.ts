/** BullMQ: a Redis job queue (blocking waits, no polling). */
import { Queue, Worker } from "bullmq";
import { chunks } from "../harness/limit.js";
import { cleanRedisPrefix, REDIS_URL } from "../harness/services.js";
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

const PREFIX = "zbench-bullmq";
const QUEUE = "one-step";

function connection(url: string | undefined) {
  const parsed = new URL(url ?? REDIS_URL);
  return { host: parsed.hostname, port: Number(parsed.port || 6379), maxRetriesPerRequest: null };
}

export const adapter: SystemAdapter = {
  name: "bullmq",
  family: "queue",
  inProcess: false,
  multiProcess: true,
  kinds: JOB_KINDS,
  settings: `Worker concurrency = worker concurrency, prefix "${PREFIX}", default job options (completed jobs kept)`,
  version: async () => `bullmq ${await packageVersion("bullmq")}`,
  async prepare(tag, slot) {
    const prefix = slotted(PREFIX, slot, "-");
    await cleanRedisPrefix(prefix);
    const queue = new Queue<TaskInput>(QUEUE, { connection: connection(REDIS_URL), prefix });
    await queue.waitUntilReady();
    const env: SystemEnv = { system: "bullmq", tag, redisUrl: REDIS_URL, prefix };
    return {
      env,
      client: {
        start: async (_kind, input) => {
          await queue.add(QUEUE, input);
        },
        startMany: async (_kind, inputs) => {
          for (const part of chunks(inputs, BULK))
            await queue.addBulk(part.map((data) => ({ name: QUEUE, data })));
        },
        signal: () => Promise.reject(new Error("BullMQ has no events")),
        close: () => queue.close(),
      },
    };
  },
  async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
    const worker = new Worker<TaskInput>(QUEUE, async (job) => options.report("d", job.data.id), {
      connection: connection(env.redisUrl),
      prefix: env.prefix ?? PREFIX,
      concurrency: options.concurrency,
      autorun: false,
    });
    worker.on("error", (error) => console.error("[bullmq]", error.message));
    await worker.waitUntilReady();
    return {
      go: async () => {
        void worker.run();
      },
      stop: () => worker.close(),
    };
  },
};
