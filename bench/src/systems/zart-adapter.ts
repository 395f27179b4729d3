/**
 * Shared adapter for Zart's stores: the same tasks, `Worker` and `DurableScheduler` over whichever
 * `Scheduler` the store module builds. Stores are imported lazily by name, so a store that is
 * missing or broken fails only its own system, with the import error as the reason.
 */
import { DurableScheduler, type Logger, type Scheduler, Worker } from "@zart/core";
import { packageVersion } from "../harness/versions.js";
import { APP_WRITE_KINDS, COMPOSING_KINDS, SPANS_MARK, type TaskInput, type TaskKind } from "../tasks.js";
import { createAppTable, openAppTable } from "./app-table.js";
import type { Prepared, PreparedWorker, SystemAdapter, SystemEnv, WorkerOptions } from "./types.js";
import { registerAppTasks } from "./zart-app-tasks.js";
import { ENQUEUE_METHOD, enqueue } from "./zart-enqueue.js";
import { zartRegistry } from "./zart-tasks.js";

/** Worker settings used for every Zart store: the library's defaults, except concurrency. */
export const ZART_WORKER_SETTINGS =
  "Worker at library defaults (prefetch 2 × concurrency, pollInterval 1 s, leaseDuration 30 s)";

const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message, fields) => console.error(`[zart] ${message}`, fields ?? ""),
};

export interface ZartStoreSpec {
  name: string;
  /** The store package, e.g. `@zart/store-postgres`. */
  packageName: string;
  inProcess: boolean;
  multiProcess: boolean;
  settings: string;
  /** Wipes the store's storage for a new run; returns the env workers open it with. */
  reset(tag: string, slot?: string): Promise<SystemEnv>;
  /** `ctx.transaction` on the store's database: W9's app-table kinds run here. */
  transactions?: boolean;
  /** Builds a scheduler from the store module (imported lazily). */
  create(module: Record<string, unknown>, env: SystemEnv): Scheduler;
}

/** Imports a package by a computed name (so typechecking does not depend on a store in progress). */
export async function importByName(name: string): Promise<Record<string, unknown>> {
  return (await import(name)) as Record<string, unknown>;
}

export function constructorOf<T>(module: Record<string, unknown>, exportName: string, pkg: string): T {
  const value = module[exportName];
  if (typeof value !== "function") throw new Error(`${pkg} does not export ${exportName}`);
  return value as T;
}

/** The Zart store specs by system name, for workloads that read the store directly (W11). */
const SPECS = new Map<string, ZartStoreSpec>();

/** A new scheduler over a prepared Zart system's storage (the caller closes it). */
export async function openZartScheduler(env: SystemEnv): Promise<Scheduler> {
  const spec = SPECS.get(env.system);
  if (spec === undefined) throw new Error(`${env.system} is not a Zart store`);
  return spec.create(await importByName(spec.packageName), env);
}

export function zartAdapter(spec: ZartStoreSpec): SystemAdapter {
  SPECS.set(spec.name, spec);
  /** In-process systems share one scheduler between the client and the worker of a run. */
  const shared = new Map<string, Scheduler>();

  async function open(env: SystemEnv): Promise<Scheduler> {
    const scheduler = spec.create(await importByName(spec.packageName), env);
    return scheduler;
  }

  return {
    name: spec.name,
    family: "zart",
    inProcess: spec.inProcess,
    multiProcess: spec.multiProcess,
    kinds: [...COMPOSING_KINDS, "keyed-three-steps", ...(spec.transactions ? APP_WRITE_KINDS : [])],
    settings: `${spec.settings}; ${ZART_WORKER_SETTINGS}; ${ENQUEUE_METHOD}`,
    async version() {
      const core = await packageVersion("@zart/core");
      return `@zart/core ${core}, ${spec.packageName} ${await packageVersion(spec.packageName)} (workspace)`;
    },
    async prepare(tag: string, slot?: string): Promise<Prepared> {
      const env = await spec.reset(tag, slot);
      const scheduler = await open(env);
      await scheduler.migrate();
      if (spec.transactions) await createAppTable(env);
      if (spec.inProcess) shared.set(env.tag, scheduler);
      const durable = new DurableScheduler(scheduler);
      return {
        env,
        client: {
          start: async (kind: TaskKind, input: TaskInput) => {
            await durable.start(input.id, kind, input);
          },
          startMany: (kind, inputs) => enqueue(durable, kind, inputs),
          signal: async (id, name, payload) => {
            await durable.offerEvent(id, name, payload);
          },
          close: async () => {
            shared.delete(env.tag);
            await scheduler.close();
          },
        },
      };
    },
    async startWorker(env: SystemEnv, options: WorkerOptions): Promise<PreparedWorker> {
      const own = shared.get(env.tag) === undefined;
      const scheduler = shared.get(env.tag) ?? (await open(env));
      // Imported only when asked for, so untraced workers run without the SDK loaded.
      const tracing = env.tracing ? (await import("./zart-tracing.js")).startTracing() : undefined;
      const app = spec.transactions ? openAppTable(env) : undefined;
      const registry = zartRegistry(options.report);
      const worker = new Worker({
        scheduler,
        registry: app ? registerAppTasks(registry, options.report, app) : registry,
        concurrency: options.concurrency,
        logger: quietLogger,
        ...(tracing ? { hooks: tracing.hooks } : {}),
      });
      return {
        go: () => worker.start(),
        stop: async () => {
          await worker.stop();
          if (tracing) options.report(SPANS_MARK, `${env.tag}-${options.index}`, await tracing.stop());
          await app?.close();
          if (own) await scheduler.close();
        },
      };
    },
  };
}
