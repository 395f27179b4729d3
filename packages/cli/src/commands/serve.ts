import { childLogger, type TaskDefinition, tracingHooks, Worker } from "@zart/core";
import type { RunningServer } from "@zart/server";
import { Command, Option } from "commander";
import { CommandFailed } from "../cli-error.js";
import { durationOption } from "../duration-option.js";
import { loadTaskModules } from "../load-tasks.js";
import { openStore } from "../open-store.js";
import { out } from "../output.js";
import { parseNonNegativeInt, parsePort, parsePositiveInt } from "../parse-args.js";
import { serveHint } from "../serve-hint.js";
import { createServeLogger, LOG_LEVELS, type LogFormat } from "../serve-logger.js";
import { firstSignal, stopServing } from "../shutdown.js";
import { databaseUrl } from "../store-url.js";
import { type DbOptions, dbOption, registryOf } from "./shared.js";

interface ServeFlags extends DbOptions {
  port: number;
  host: string;
  tasks?: string[];
  token?: string;
  concurrency: number;
  prefetch?: number;
  corsOrigin?: string[];
  shutdownTimeout: number;
  logLevel: (typeof LOG_LEVELS)[number];
  logFormat?: LogFormat;
}

/**
 * `zart serve`: a worker and the HTTP API over one store. Registers every task exported by the
 * `--tasks` modules, or the built-in examples when none are given. Logs with pino on stderr.
 * Runs until SIGINT/SIGTERM, then stops gracefully within `--shutdown-timeout` (exit 1 when
 * in-flight work had to be abandoned; a second signal exits at once).
 */
export function serveCommand(): Command {
  const command = new Command("serve")
    .description("run a worker and the HTTP API over one store")
    .addOption(
      new Option("--port <port>", "TCP port (0 picks a free one)")
        .argParser(parsePort)
        .env("PORT")
        .default(3000),
    )
    .addOption(
      new Option("--host <host>", "interface to listen on; anything but loopback needs a token")
        .env("HOST")
        .default("127.0.0.1"),
    )
    .option(
      "--tasks <file...>",
      "modules whose exported task definitions are registered (default: the built-in examples)",
    )
    .option("--token <token>", "bearer token the API requires (default: $ZART_API_TOKEN)")
    .option("--concurrency <n>", "executions the worker runs at once", parsePositiveInt, 10)
    .option(
      "--prefetch <n>",
      "executions the worker claims ahead of a free slot (default: 2 × concurrency)",
      parseNonNegativeInt,
    )
    .option("--cors-origin <origin...>", "let browsers on these origins call the API (`*` for any)")
    .addOption(
      durationOption(
        "--shutdown-timeout <duration>",
        "on SIGTERM, how long in-flight work may run on before it is abandoned",
        "30s",
      ),
    )
    .addOption(
      new Option("--log-level <level>", "least severe level logged")
        .choices(LOG_LEVELS)
        .env("ZART_LOG_LEVEL")
        .default("info"),
    )
    .addOption(
      new Option(
        "--log-format <format>",
        "log lines as JSON, or pretty (default: pretty on a terminal, else JSON)",
      ).choices(["json", "pretty"]),
    );
  dbOption(command);
  return command.action(async (flags: ServeFlags) => {
    const logger = createServeLogger(flags.logLevel, flags.logFormat);
    // Loaded here, not at the top: the other commands start faster without the server and zod.
    const { createPrometheusMetrics, startServer } = await import("@zart/server");
    const { consoleAssetsDir, isConsoleBuilt } = await import("@zart/console");
    const tasks: readonly TaskDefinition[] = flags.tasks?.length
      ? await loadTaskModules(flags.tasks)
      : (await import("../examples/index.js")).exampleTasks;
    const registry = registryOf(tasks);
    const url = databaseUrl(flags.db);
    const { scheduler, label } = await openStore(url, { migrate: true });
    const metrics = createPrometheusMetrics({ scheduler });
    const worker = new Worker({
      scheduler,
      registry,
      concurrency: flags.concurrency,
      ...(flags.prefetch === undefined ? {} : { prefetch: flags.prefetch }),
      logger: childLogger(logger, { component: "worker" }),
      // Traces go to the global tracer: a no-op unless an OpenTelemetry SDK is registered (--import).
      hooks: [metrics.hooks, tracingHooks()],
    });
    let server: RunningServer;
    try {
      server = await startServer({
        scheduler,
        registry,
        port: flags.port,
        host: flags.host,
        logger: childLogger(logger, { component: "http" }),
        metrics,
        ...(flags.corsOrigin ? { corsOrigin: flags.corsOrigin.includes("*") ? "*" : flags.corsOrigin } : {}),
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
    logger.info(
      { url: server.url, store: label, workerId: worker.workerId, tasks: registry.names() },
      "serving",
    );
    const signal = await firstSignal(logger);
    logger.info(
      { signal, shutdownTimeoutMs: flags.shutdownTimeout },
      "Stopping: finishing in-flight work (signal again to force)",
    );
    const abandoned = await stopServing({ server, worker, scheduler, logger }, flags.shutdownTimeout);
    if (abandoned) {
      throw new CommandFailed(
        `in-flight work was still running after --shutdown-timeout ${flags.shutdownTimeout}ms; it was abandoned and its leases released`,
      );
    }
    logger.info({}, "stopped");
  });
}
