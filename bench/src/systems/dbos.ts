/**
 * DBOS Transact: workflows enqueued by a `DBOSClient` on a database-backed queue and dequeued by
 * worker processes that `DBOS.launch()` (DBOS runs a workflow in the process that starts it, so a
 * queue is how a separate client hands work to workers).
 */
import { DBOS, DBOSClient } from "@dbos-inc/dbos-sdk";
import { forEachLimit } from "../harness/limit.js";
import { quietly } from "../harness/quiet.js";
import { resetDatabase } from "../harness/services.js";
import { packageVersion } from "../harness/versions.js";
import {
  APP_WRITE_KINDS,
  COMPOSING_KINDS,
  EVENT_NAME,
  KEY_LIMIT,
  lagSince,
  now,
  type TaskInput,
  type TaskKind,
} from "../tasks.js";
import { type AppTable, createAppTable, openAppTable } from "./app-table.js";
import { migrateDataSource, PgDataSource } from "./dbos-datasource.js";
import {
  type PreparedWorker,
  type Reporter,
  type SystemAdapter,
  type SystemEnv,
  slotted,
  type WorkerOptions,
} from "./types.js";

const APP = "zartbench";
const APP_VERSION = "bench-1";
/** The queue for every kind but `sleep`. */
const QUEUE = "bench";
/** A sleeping DBOS workflow keeps its queue slot, so 2,000 sleepers need a wide queue. */
const WIDE_QUEUE = "bench-wide";
/**
 * Child workflows (W4's fan-out, W7): a queue of their own. On the parents' queue, 32 parents
 * waiting for their children hold every slot and the children never run (W7 timed out so).
 */
const CHILD_QUEUE = "bench-children";
/** W8: a partitioned queue, at most `KEY_LIMIT` running workflows per partition key (DBOS's per-key limit). */
const KEYED_QUEUE = "bench-keyed";
const WORKER_CONCURRENCY = 32;
const POLL_MS = 50;

function queueFor(kind: TaskKind): string {
  return kind === "sleep" ? WIDE_QUEUE : kind === "keyed-three-steps" ? KEYED_QUEUE : QUEUE;
}

/** W9: the app row written in a DBOS transaction (on the data source), or by a plain step. */
function registerAppWrites(report: Reporter, app: AppTable, dataSource: PgDataSource): void {
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      await dataSource.runTransaction(() => app.insertIn(dataSource.client, input.id), "write");
      report("d", input.id);
    },
    { name: "tx-write" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      await DBOS.runStep(() => app.insert(input.id), { name: "write" });
      report("d", input.id);
    },
    { name: "step-write" },
  );
}

function register(report: Reporter): void {
  const child = DBOS.registerWorkflow(async (i: number) => DBOS.runStep(async () => i, { name: "p" }), {
    name: "fan-out-child",
  });
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      await DBOS.runStep(async () => 1, { name: "one" });
      await DBOS.runStep(async () => 2, { name: "two" });
      await DBOS.runStep(async () => report("d", input.id), { name: "three" });
    },
    { name: "three-steps" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      await DBOS.runStep(async () => 1, { name: "one" });
      await DBOS.runStep(async () => 2, { name: "two" });
      await DBOS.runStep(async () => report("d", input.id), { name: "three" });
    },
    { name: "keyed-three-steps" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      await DBOS.runStep(async () => report("d", input.id), { name: "one" });
    },
    { name: "one-step" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      await DBOS.runStep(async () => report("a", input.id), { name: "a" });
      await DBOS.recv(EVENT_NAME, { timeoutSeconds: 3600 });
      await DBOS.runStep(async () => report("b", input.id), { name: "b" });
    },
    { name: "wait-event" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      const handles = [];
      for (let i = 0; i < (input.width ?? 1); i++) {
        handles.push(await DBOS.startWorkflow(child, { queueName: CHILD_QUEUE })(i));
      }
      for (const handle of handles) await handle.getResult();
      await DBOS.runStep(async () => report("d", input.id), { name: "after" });
    },
    { name: "fan-out" },
  );
  const threeSteps = DBOS.registerWorkflow(
    async (_i: number) => {
      await DBOS.runStep(async () => 1, { name: "one" });
      await DBOS.runStep(async () => 2, { name: "two" });
      await DBOS.runStep(async () => 3, { name: "three" });
    },
    { name: "child-three-steps" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      const handles = [];
      for (let i = 0; i < (input.width ?? 1); i++) {
        handles.push(await DBOS.startWorkflow(threeSteps, { queueName: CHILD_QUEUE })(i));
      }
      for (const handle of handles) await handle.getResult();
      await DBOS.runStep(async () => report("d", input.id), { name: "after" });
    },
    { name: "children" },
  );
  DBOS.registerWorkflow(
    async (input: TaskInput) => {
      const sleepMs = input.sleepMs ?? 1000;
      const t0 = await DBOS.runStep(async () => now(), { name: "t0" });
      await DBOS.sleep(sleepMs);
      await DBOS.runStep(async () => report("lag", input.id, lagSince(t0, sleepMs)), { name: "after" });
    },
    { name: "sleep" },
  );
}

export const adapter: SystemAdapter = {
  name: "dbos",
  family: "durable",
  inProcess: false,
  multiProcess: true,
  kinds: [...COMPOSING_KINDS, "keyed-three-steps", ...APP_WRITE_KINDS],
  settings:
    `DBOSClient.enqueue → queue "${QUEUE}" (workerConcurrency ${WORKER_CONCURRENCY}, minPollingIntervalMs ` +
    `${POLL_MS}; DBOS default 1000), sleep workflows on a queue with workerConcurrency 4096 ` +
    "(a sleeping DBOS workflow holds its slot), fan-out and W7 = child workflows on a queue of their own " +
    `(workerConcurrency ${WORKER_CONCURRENCY}; on the parents' queue, waiting parents hold every slot), ` +
    `W8 on a partitioned queue (partitionConcurrency ${KEY_LIMIT}, workerConcurrency ${WORKER_CONCURRENCY}, ` +
    "queuePartitionKey = the key), W9 transactions on a pg data source in the system database " +
    "(the bench's own, see src/systems/dbos-datasource.ts), " +
    "events = DBOS.send/recv; logLevel error",
  version: async () => `@dbos-inc/dbos-sdk ${await packageVersion("@dbos-inc/dbos-sdk")}`,
  async prepare(tag, slot) {
    const pgUrl = await resetDatabase(slotted("bench_dbos", slot));
    const client = await quietly(async () => {
      await DBOS.migrate(pgUrl);
      await migrateDataSource(pgUrl);
      await createAppTable({ system: "dbos", tag, pgUrl });
      const created = await DBOSClient.create({ systemDatabaseUrl: pgUrl, applicationName: APP });
      try {
        for (const [name, workerConcurrency, partitionConcurrency] of [
          [QUEUE, WORKER_CONCURRENCY, undefined],
          [CHILD_QUEUE, WORKER_CONCURRENCY, undefined],
          [WIDE_QUEUE, 4096, undefined],
          [KEYED_QUEUE, WORKER_CONCURRENCY, KEY_LIMIT],
        ] as const) {
          await created.registerQueue(name, {
            workerConcurrency,
            ...(partitionConcurrency ? { partitionConcurrency } : {}),
            minPollingIntervalMs: POLL_MS,
            applicationName: APP,
          });
        }
      } catch (error) {
        await created.destroy();
        throw error;
      }
      return created;
    });
    const start = async (kind: TaskKind, input: TaskInput) => {
      await client.enqueue(
        {
          queueName: queueFor(kind),
          workflowName: kind,
          workflowID: input.id,
          appVersion: APP_VERSION,
          ...(input.key === undefined ? {} : { queuePartitionKey: input.key }),
        },
        input,
      );
    };
    const env: SystemEnv = { system: "dbos", tag, pgUrl };
    return {
      env,
      client: {
        start,
        startMany: (kind, inputs) => forEachLimit(inputs, 16, (input) => start(kind, input)),
        signal: (id, name, payload) => client.send(id, payload, name),
        close: () => client.destroy(),
      },
    };
  },
  async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
    DBOS.setConfig({
      name: APP,
      systemDatabaseUrl: env.pgUrl,
      applicationVersion: APP_VERSION,
      logLevel: "error",
      executorID: `bench-${options.index}`,
    });
    register(options.report);
    const app = openAppTable(env);
    registerAppWrites(options.report, app, new PgDataSource("app", env.pgUrl ?? ""));
    return {
      go: () => DBOS.launch(),
      stop: async () => {
        await DBOS.shutdown({ workflowCompletionTimeoutMS: 5000 });
        await app.close();
      },
    };
  },
};
