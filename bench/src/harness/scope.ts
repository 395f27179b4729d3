/**
 * Everything one workload step opens on one system (clients, worker groups), closed together.
 * A workload's `setup` gets a scope that lives until all its rounds are done; each round gets its own.
 */
import type { Outcome, RunnerOptions } from "../runner.js";
import type { Prepared, SystemAdapter } from "../systems/types.js";
import type { RunContext, Workers, Workload } from "../workloads/types.js";
import { Collector } from "./collector.js";
import { withTimeout } from "./limit.js";
import { launchWorkers } from "./workers.js";

export class Scope {
  readonly ctx: RunContext;
  readonly #opened: Prepared[] = [];
  readonly #launched: Workers[] = [];

  constructor(
    workload: Workload,
    adapter: SystemAdapter,
    options: RunnerOptions,
    outcome: Outcome,
    tag: string,
  ) {
    const { settings } = options;
    let serial = 0;
    this.ctx = {
      adapter,
      settings,
      prepare: async (slot) => {
        const prepared = await adapter.prepare(`${tag}-${serial++}`, slot, settings.concurrency);
        this.#opened.push(prepared);
        return prepared;
      },
      launch: async (prepared, count, concurrency = settings.concurrency) => {
        const inProcess = adapter.inProcess && (count === 1 || !adapter.multiProcess);
        const collector = new Collector();
        const group = await launchWorkers(
          adapter,
          prepared.env,
          { count: inProcess ? 1 : count, concurrency, inProcess, verbose: options.verbose },
          collector,
        );
        const workers = { group, collector };
        this.#launched.push(workers);
        return workers;
      },
      release: async (prepared, workers) => {
        if (workers) await workers.group.stop();
        await this.#close(prepared);
      },
      ids: (prefix, count) => Array.from({ length: count }, (_, i) => `${tag}-${prefix}-${i}`),
      notApplicable: (metric, reason) => outcome.notApplicable.set(`${metric}|${adapter.name}`, reason),
      log: (message) => options.log(`  ${workload.id} ${adapter.name}: ${message}`),
    };
  }

  /** Stops every worker group, then closes every client. */
  async close(): Promise<void> {
    for (const workers of this.#launched.splice(0).reverse()) await workers.group.stop();
    for (const prepared of [...this.#opened]) await this.#close(prepared);
  }

  async #close(prepared: Prepared): Promise<void> {
    const index = this.#opened.indexOf(prepared);
    if (index === -1) return;
    this.#opened.splice(index, 1);
    await withTimeout(prepared.client.close(), 10_000, "client close timed out").catch(() => undefined);
  }
}
