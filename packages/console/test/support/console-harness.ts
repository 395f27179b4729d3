import {
  type DurableExecutionStatus,
  DurableScheduler,
  type ExecutionStatus,
  type Logger,
  ManualClock,
  type Scheduler,
  type TaskDefinition,
  Worker,
} from "@zart/core";
import { type RunningServer, startServer } from "@zart/server";
import { MemoryScheduler } from "@zart/store-memory";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./browser.js";
import { buildConsole } from "./build-console.js";
import { testRegistry } from "./tasks.js";

export const TOKEN = "console-test-token-0123456789";

/** How long a browser wait (for an element, a text) may take before the test fails. */
const BROWSER_WAIT_MS = 45_000;
/** Timeout of a browser test: several such waits. */
export const BROWSER_TEST_MS = 180_000;

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** `zart serve` in miniature: a worker, the API and the console over a memory store, and a browser. */
export interface ConsoleHarness {
  server: RunningServer;
  durable: DurableScheduler;
  /** The store, for work no worker of the harness runs. */
  scheduler: Scheduler;
  /** Starts an execution one second after the previous one, so "newest first" is well defined. */
  start(executionId: string, taskName: string, data: unknown): Promise<void>;
  /**
   * A fresh browser context (no storage shared with other tests) on the console. Signed in with
   * the test token unless `signedIn: false`. Uncaught page errors land in `page.errors`.
   */
  open(hash?: string, options?: { signedIn?: boolean }): Promise<Page & { errors: Error[] }>;
  /** Resolves once the execution is in `status` (the worker runs concurrently). */
  settle(executionId: string, status: ExecutionStatus): Promise<DurableExecutionStatus>;
  close(): Promise<void>;
}

/**
 * `realTime: true` runs the store on the system clock (for screenshots whose durations mean
 * something); tests keep the manual one. `tasks` are registered beside the test tasks.
 */
export async function startConsoleHarness({
  realTime = false,
  tasks = [],
}: {
  realTime?: boolean;
  tasks?: readonly TaskDefinition[];
} = {}): Promise<ConsoleHarness> {
  const assetsDir = await buildConsole();
  const clock = new ManualClock();
  const scheduler = new MemoryScheduler(realTime ? {} : { clock });
  const registry = testRegistry();
  for (const task of tasks) registry.register(task);
  const worker = new Worker({ scheduler, registry, pollInterval: "50ms", logger: quiet });
  await worker.start();
  const server = await startServer({
    scheduler,
    registry,
    token: TOKEN,
    port: 0,
    logger: quiet,
    console: { assetsDir },
  });
  const browser: Browser = await launchChromium();
  const durable = new DurableScheduler(scheduler, { registry });
  return {
    server,
    durable,
    scheduler,
    async start(executionId, taskName, data) {
      if (!realTime) clock.advance("1s");
      await durable.start(executionId, taskName, data);
    },
    async open(hash = "#/", { signedIn = true } = {}) {
      const context = await browser.newContext();
      // Generous: the full suite shares two cores with everything else.
      context.setDefaultTimeout(BROWSER_WAIT_MS);
      if (signedIn) {
        await context.addInitScript((token) => sessionStorage.setItem("zart-console-token", token), TOKEN);
      }
      const page = Object.assign(await context.newPage(), { errors: [] as Error[] });
      page.on("pageerror", (error) => page.errors.push(error));
      await page.goto(`${server.url}/${hash}`);
      return page;
    },
    async settle(executionId, status) {
      for (;;) {
        const current = await durable.status(executionId);
        if (current.status === status) return current;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await browser.close();
      await server.close();
      await worker.stop({ graceful: false });
      await scheduler.close();
    },
  };
}
