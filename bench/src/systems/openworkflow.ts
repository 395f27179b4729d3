/**
 * OpenWorkflow with its Postgres backend: the client starts runs with `runWorkflow(spec)`, worker
 * processes poll for them. Fan-out = child workflows (`step.runWorkflow`) awaited together;
 * events = signals (`sendSignal` / `step.waitForSignal`), one signal name per execution.
 */
import { defineWorkflowSpec, OpenWorkflow, type Worker } from "openworkflow";
import { BackendPostgres } from "openworkflow/postgres";
import { forEachLimit } from "../harness/limit.js";
import { resetDatabase } from "../harness/services.js";
import { packageVersion } from "../harness/versions.js";
import {
  ALL_KINDS,
  type BasicKind,
  EVENT_NAME,
  lagSince,
  now,
  type TaskInput,
  type TaskKind,
} from "../tasks.js";
import {
  type PreparedWorker,
  type Reporter,
  type SystemAdapter,
  type SystemEnv,
  slotted,
  type WorkerOptions,
} from "./types.js";

const specs = {
  "three-steps": defineWorkflowSpec<TaskInput, void>({ name: "three-steps" }),
  "one-step": defineWorkflowSpec<TaskInput, void>({ name: "one-step" }),
  "wait-event": defineWorkflowSpec<TaskInput, void>({ name: "wait-event" }),
  "fan-out": defineWorkflowSpec<TaskInput, void>({ name: "fan-out" }),
  sleep: defineWorkflowSpec<TaskInput, void>({ name: "sleep" }),
} satisfies Record<BasicKind, unknown>;
const childSpec = defineWorkflowSpec<{ i: number }, number>({ name: "fan-out-child" });

function signalName(id: string): string {
  return `${EVENT_NAME}:${id}`;
}

function implement(ow: OpenWorkflow, report: Reporter): void {
  ow.implementWorkflow(specs["three-steps"], async ({ input, step }) => {
    await step.run({ name: "one" }, async () => 1);
    await step.run({ name: "two" }, async () => 2);
    await step.run({ name: "three" }, async () => report("d", input.id));
  });
  ow.implementWorkflow(specs["one-step"], async ({ input, step }) => {
    await step.run({ name: "one" }, async () => report("d", input.id));
  });
  ow.implementWorkflow(specs["wait-event"], async ({ input, step }) => {
    await step.run({ name: "a" }, async () => report("a", input.id));
    await step.waitForSignal({ signal: signalName(input.id), timeout: "1h" });
    await step.run({ name: "b" }, async () => report("b", input.id));
  });
  ow.implementWorkflow(childSpec, async ({ input, step }) => step.run({ name: "p" }, async () => input.i));
  ow.implementWorkflow(specs["fan-out"], async ({ input, step }) => {
    const children = Array.from({ length: input.width ?? 1 }, (_, i) =>
      step.runWorkflow(childSpec, { i }, { name: `p${i}` }),
    );
    await Promise.all(children);
    await step.run({ name: "after" }, async () => report("d", input.id));
  });
  ow.implementWorkflow(specs.sleep, async ({ input, step }) => {
    const sleepMs = input.sleepMs ?? 1000;
    const t0 = await step.run({ name: "t0" }, async () => now());
    await step.sleep("nap", `${sleepMs}ms`);
    await step.run({ name: "after" }, async () => report("lag", input.id, lagSince(t0, sleepMs)));
  });
}

export const adapter: SystemAdapter = {
  name: "openworkflow",
  family: "durable",
  inProcess: false,
  multiProcess: true,
  kinds: ALL_KINDS,
  settings:
    "BackendPostgres (postgres.js pool, defaults), Worker defaults (polling with 100 ms–1 s backoff); " +
    "fan-out = child workflows, events = signals",
  version: async () =>
    `openworkflow ${await packageVersion("openworkflow")} (postgres ${await packageVersion("postgres")})`,
  async prepare(tag, slot) {
    const pgUrl = await resetDatabase(slotted("bench_openworkflow", slot));
    const backend = await BackendPostgres.connect(pgUrl);
    const ow = new OpenWorkflow({ backend });
    const start = async (kind: TaskKind, input: TaskInput) => {
      await ow.runWorkflow(specs[kind as keyof typeof specs], input); // kinds: ALL_KINDS, no W7
    };
    const env: SystemEnv = { system: "openworkflow", tag, pgUrl };
    return {
      env,
      client: {
        start,
        startMany: (kind, inputs) => forEachLimit(inputs, 16, (input) => start(kind, input)),
        signal: async (id, _name, payload) => {
          await ow.sendSignal({ signal: signalName(id), data: payload as null });
        },
        close: () => backend.stop(),
      },
    };
  },
  async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
    const backend = await BackendPostgres.connect(env.pgUrl ?? "", { runMigrations: false });
    const ow = new OpenWorkflow({ backend });
    implement(ow, options.report);
    const worker: Worker = ow.newWorker({ concurrency: options.concurrency });
    return {
      go: () => worker.start(),
      stop: async () => {
        await worker.stop();
        await backend.stop();
      },
    };
  },
};
