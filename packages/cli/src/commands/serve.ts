import { consoleLogger, type TaskDefinition, Worker } from "@zart/core";
import type { RunningServer } from "@zart/server";
import { Command } from "commander";
import { loadTaskModules } from "../load-tasks.js";
import { openStore } from "../open-store.js";
import { err, out } from "../output.js";
import { parseNonNegativeInt, parsePort, parsePositiveInt } from "../parse-args.js";
import { serveHint } from "../serve-hint.js";
import { databaseUrl } from "../store-url.js";
import { type DbOptions, dbOption, registryOf } from "./shared.js";

interface ServeFlags extends DbOptions {
  port: number;
  host: string;
  tasks?: string[];
  token?: string;
  concurrency: number;
  prefetch: number;
}

/**
 * `zart serve`: a worker and the HTTP API over one store. Registers every task exported by the
 * `--tasks` modules, or the built-in examples when none are given. Runs until SIGINT/SIGTERM, then
 * stops gracefully (a second signal exits at once).
 */
export function serveCommand(): Command {
  const command = new Command("serve")
    .description("run a worker and the HTTP API over one store")
    .option("--port <port>", "TCP port (0 picks a free one)", parsePort, 3000)
    .option("--host <host>", "interface to listen on; anything but loopback needs a token", "127.0.0.1")
    .option(
      "--tasks <file...>",
      "modules whose exported task definitions are registered (default: the built-in examples)",
    )
    .option("--token <token>", "bearer token the API requires (default: $ZART_API_TOKEN)")
    .option("--concurrency <n>", "executions the worker runs at once", parsePositiveInt, 10)
    .option("--prefetch <n>", "executions the worker claims ahead of a free slot", parseNonNegativeInt, 0);
  dbOption(command);
  return command.action(async (flags: ServeFlags) => {
    // Loaded here, not at the top: the other commands start faster without the server and zod.
    const { startServer } = await import("@zart/server");
    const { consoleAssetsDir, isConsoleBuilt } = await import("@zart/console");
    const tasks: readonly TaskDefinition[] = flags.tasks?.length
      ? await loadTaskModules(flags.tasks)
      : (await import("../examples/index.js")).exampleTasks;
    const registry = registryOf(tasks);
    const url = databaseUrl(flags.db);
    const { scheduler, label } = await openStore(url, { migrate: true });
    const worker = new Worker({
      scheduler,
      registry,
      concurrency: flags.concurrency,
      prefetch: flags.prefetch,
      logger: consoleLogger,
    });
    let server: RunningServer;
    try {
      server = await startServer({
        scheduler,
        registry,
        port: flags.port,
        host: flags.host,
        ...(flags.token !== undefined ? { token: flags.token } : {}),
        ...(isConsoleBuilt() ? { console: { assetsDir: consoleAssetsDir } } : {}),
      });
      await worker.start();
    } catch (error) {
      await worker.stop();
      await scheduler.close();
      throw error;
    }
    const token = flags.token ?? process.env.ZART_API_TOKEN;
    out(
      serveHint({
        url: server.url,
        consoleBuilt: isConsoleBuilt(),
        storeLabel: label,
        ...(flags.db !== undefined || process.env.ZART_DATABASE_URL ? { dbFlag: url } : {}),
        taskNames: registry.names(),
        hasToken: Boolean(token),
        concurrency: flags.concurrency,
      }),
    );
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          err("Stopping at once.");
          process.exit(signal === "SIGINT" ? 130 : 143);
        }
        stopping = true;
        err("Stopping: finishing in-flight steps… (again to force)");
        void (async () => {
          await server.close();
          await worker.stop();
          await scheduler.close();
          resolve();
        })();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });
}
