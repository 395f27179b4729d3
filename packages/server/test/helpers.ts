import { defineTask, type Logger, NonRetryableError, type Scheduler, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import * as z from "zod";
import { type RunningServer, type ServerOptions, startServer } from "../src/index.js";

/** Waits for a `go` event and returns its payload. */
export const waiterTask = defineTask({
  name: "waiter",
  async run(ctx, data: unknown) {
    const event = await ctx.waitForEvent("go", { timeout: "1h" });
    return { data, event };
  },
});

/** Finishes at once. */
export const quickTask = defineTask({
  name: "quick",
  input: z.object({ n: z.number() }),
  async run(ctx, data) {
    return ctx.step("double", async () => data.n * 2);
  },
});

/** Fails at once, without retries. */
export const failingTask = defineTask({
  name: "failing",
  async run() {
    throw new NonRetryableError("nope");
  },
});

/** Invokes `quick` as a child execution and returns its result. */
export const parentTask = defineTask({
  name: "parent",
  async run(ctx) {
    return ctx.invoke(quickTask, { n: 4 });
  },
});

/** A versioned task that finishes at once. */
export const stampedTask = defineTask({
  name: "stamped",
  version: "2026-12-01",
  run: async () => "stamped",
});

/** A logger that keeps what it is told. */
export function recordingLogger(): Logger & {
  lines: { level: string; message: string; fields?: unknown }[];
} {
  const lines: { level: string; message: string; fields?: unknown }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void lines.push({ level, message, fields });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A real server on loopback (port 0) over a MemoryScheduler with a worker. */
export interface Harness {
  server: RunningServer;
  scheduler: Scheduler;
  worker: Worker;
  logger: ReturnType<typeof recordingLogger>;
  /** fetch relative to the server, with the token (unless `auth: false`) and JSON content type. */
  call(path: string, init?: RequestInit & { json?: unknown; auth?: boolean | string }): Promise<Response>;
  close(): Promise<void>;
}

export const TOKEN = "test-token-0123456789";

export async function startHarness(
  options: Partial<ServerOptions> & { scheduler?: Scheduler } = {},
): Promise<Harness> {
  const scheduler = options.scheduler ?? new MemoryScheduler();
  const registry = new TaskRegistry()
    .register(waiterTask)
    .register(quickTask)
    .register(failingTask)
    .register(parentTask)
    .register(stampedTask);
  const logger = recordingLogger();
  const worker = new Worker({ scheduler, registry, logger, pollInterval: "100ms" });
  await worker.start();
  const server = await startServer({ registry, token: TOKEN, logger, ...options, scheduler, port: 0 });
  const token = typeof options.token === "string" ? options.token : TOKEN;
  return {
    server,
    scheduler,
    worker,
    logger,
    call(path, init = {}) {
      const { json, auth = true, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth !== false) headers.set("authorization", `Bearer ${typeof auth === "string" ? auth : token}`);
      if (json !== undefined) {
        headers.set("content-type", "application/json");
        rest.body = JSON.stringify(json);
      }
      return fetch(`${server.url}${path}`, { ...rest, headers });
    },
    async close() {
      await server.close();
      await worker.stop({ graceful: false });
      await scheduler.close();
    },
  };
}

/** The error envelope's code, asserting the shape. */
export async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  if (typeof body.error?.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`);
  }
  return body.error.code;
}

/** Polls `condition` until it holds; a guard against hanging (fails after 10 s), not a timing assertion. */
export async function until(condition: () => boolean, what = "the condition"): Promise<void> {
  const giveUp = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > giveUp) throw new Error(`Gave up waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
