/**
 * Restate: the server from `@restatedev/restate-server` (started per run by the bench, see
 * `restate-server.ts`) and services written with `@restatedev/restate-sdk`. Restate pushes
 * invocations to a registered HTTP/2 endpoint, so a worker process is that endpoint: it registers
 * itself when it connects, and its handlers wait for `go` before their first step (the backlog is
 * queued in the server until then, as with the other systems).
 *
 * Executions are invoked through the ingress HTTP API with one-way `send` calls: `one-step` and
 * `three-steps` are service handlers with the execution id as idempotency key (one execution per
 * id, as `start` elsewhere); `wait-event` is a workflow keyed by the id that waits on a durable
 * promise its shared `go` handler resolves.
 */
import "./restate-polyfill.js";
import { createServer } from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { forEachLimit } from "../harness/limit.js";
import { packageVersion } from "../harness/versions.js";
import { EVENT_NAME, type TaskInput, type TaskKind } from "../tasks.js";
import { startRestateServer } from "./restate-server.js";
import type { PreparedWorker, Reporter, SystemAdapter, SystemEnv, WorkerOptions } from "./types.js";

const SERVICE = "bench";
const WORKFLOW = "benchWait";
const HANDLERS: Partial<Record<TaskKind, string>> = { "one-step": "oneStep", "three-steps": "threeSteps" };
/** Restate's own invoker limit, when the bench gives no worker concurrency. */
const DEFAULT_CONCURRENCY = 1000;
/** Ingress `send` calls in flight at once (Restate has no batch ingress call). */
const CONCURRENT_SENDS = 16;

function services(report: Reporter, started: Promise<void>) {
  const bench = restate.service({
    name: SERVICE,
    handlers: {
      oneStep: async (ctx: restate.Context, input: TaskInput) => {
        await started;
        await ctx.run("one", async () => report("d", input.id));
      },
      threeSteps: async (ctx: restate.Context, input: TaskInput) => {
        await started;
        await ctx.run("one", async () => 1);
        await ctx.run("two", async () => 2);
        await ctx.run("three", async () => report("d", input.id));
      },
    },
  });
  const wait = restate.workflow({
    name: WORKFLOW,
    handlers: {
      run: async (ctx: restate.WorkflowContext, input: TaskInput) => {
        await started;
        await ctx.run("a", async () => report("a", input.id));
        await ctx.promise(EVENT_NAME).get();
        await ctx.run("b", async () => report("b", input.id));
      },
      [EVENT_NAME]: async (ctx: restate.WorkflowSharedContext, payload: unknown) => {
        await ctx.promise(EVENT_NAME).resolve(payload);
      },
    },
  });
  return [bench, wait];
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body ?? null),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}

export const adapter: SystemAdapter = {
  name: "restate",
  family: "durable",
  inProcess: false,
  multiProcess: false,
  kinds: ["one-step", "three-steps", "wait-event"],
  notMeasured: {
    "W1-2w":
      "Restate sends a service's invocations to its latest deployment (one endpoint); spreading them over two needs a load balancer in front",
    W6: "not run for Restate (added for W1, W1b, W1c, W2, W3)",
  },
  settings:
    "restate-server on loopback, one node, data in a temp dir; worker.invoker.concurrent-invocations-limit = " +
    "worker concurrency (Restate pushes, so this is its concurrency knob; its default 1000 would also " +
    "dispatch up to 1000 queued invocations to the endpoint before the workers' start), defaults otherwise; " +
    "SDK endpoint = " +
    `node:http2 server with createEndpointHandler; enqueue: ingress /send, ${CONCURRENT_SENDS} in flight, ` +
    "idempotency key = execution id; events = workflow durable promise",
  async version() {
    const [server, sdk] = [
      await packageVersion("@restatedev/restate-server"),
      await packageVersion("@restatedev/restate-sdk"),
    ];
    return `@restatedev/restate-server ${server}, @restatedev/restate-sdk ${sdk}`;
  },
  async prepare(tag, _slot, concurrency = DEFAULT_CONCURRENCY) {
    const server = await startRestateServer(concurrency);
    const start = async (kind: TaskKind, input: TaskInput) => {
      const handler = HANDLERS[kind];
      if (handler) {
        await post(`${server.ingressUrl}/${SERVICE}/${handler}/send`, input, { "idempotency-key": input.id });
      } else if (kind === "wait-event") {
        await post(`${server.ingressUrl}/${WORKFLOW}/${encodeURIComponent(input.id)}/run/send`, input);
      } else {
        throw new Error(`restate adapter has no ${kind} task`);
      }
    };
    const env: SystemEnv = {
      system: "restate",
      tag,
      ingressUrl: server.ingressUrl,
      adminUrl: server.adminUrl,
    };
    return {
      env,
      serverPid: server.pid,
      client: {
        start,
        startMany: (kind, inputs) => forEachLimit(inputs, CONCURRENT_SENDS, (input) => start(kind, input)),
        signal: (id, name, payload) =>
          post(`${server.ingressUrl}/${WORKFLOW}/${encodeURIComponent(id)}/${name}`, payload),
        close: () => server.stop(),
      },
    };
  },
  async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
    let go = () => {};
    const started = new Promise<void>((resolve) => {
      go = resolve;
    });
    const http = createServer(restate.createEndpointHandler({ services: services(options.report, started) }));
    const port = await new Promise<number>((resolve, reject) => {
      http.once("error", reject);
      http.listen(0, "127.0.0.1", () => {
        const address = http.address();
        if (typeof address === "object" && address) resolve(address.port);
        else reject(new Error("endpoint has no port"));
      });
    });
    await post(`${env.adminUrl}/deployments`, { uri: `http://127.0.0.1:${port}`, force: true });
    return {
      go: async () => go(),
      stop: () =>
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          setTimeout(resolve, 2000).unref();
        }),
    };
  },
};
