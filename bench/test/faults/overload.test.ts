import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@zart/core";
import { PostgresScheduler } from "@zart/store-postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { OVERLOAD_TASKS } from "../../src/faults/overload-config.js";
import { overloadRun } from "../../src/faults/overload-run.js";
import { faultScale, storeUrls } from "./fault-env.js";

/**
 * Item 5 of issue #19: a backlog of due executions of three tasks, started interleaved, drained by
 * worker processes on PostgreSQL while `zart serve` answers the HTTP API. Small counts by default;
 * `ZART_FAULTS_FULL=1` runs 50,000 executions on 8 workers.
 */
const scale = faultScale({ executions: 3_000, workers: 2 }, { executions: 50_000, workers: 8 });
const CONCURRENCY = 10;
const urls = storeUrls();
const directory = mkdtempSync(join(tmpdir(), "zart-overload-"));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(directory, { recursive: true, force: true });
});

/** The `q`-quantile of `values`. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Each task's mean position in the completion order, as a fraction of the run (0.5 = spread evenly). */
function meanPositions(order: string[]): Record<string, number> {
  const sums = new Map<string, [number, number]>();
  for (const [i, task] of order.entries()) {
    const [sum, n] = sums.get(task) ?? [0, 0];
    sums.set(task, [sum + i / (order.length - 1), n + 1]);
  }
  return Object.fromEntries([...sums].map(([task, [sum, n]]) => [task, Number((sum / n).toFixed(4))]));
}

/** The largest gap (in completions) between two completions of one task. */
function longestGap(order: string[]): number {
  const last = new Map<string, number>();
  let gap = 0;
  for (const [i, task] of order.entries()) {
    gap = Math.max(gap, i - (last.get(task) ?? -1) - 1);
    last.set(task, i);
  }
  return gap;
}

describe("overload on postgres", () => {
  it.skipIf(urls.postgres === undefined)(
    `${scale.executions} due executions of three interleaved tasks, ${scale.workers} worker processes, the HTTP API under load`,
    async () => {
      const url = urls.postgres!;
      const schema = `zart_overload_${process.pid}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const scheduler = new PostgresScheduler({ connectionString: url, schema, logger: silentLogger });
      cleanups.push(async () => {
        await scheduler.close();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      });
      await scheduler.migrate();
      const report = await overloadRun({
        scheduler,
        admin,
        url,
        schema,
        ledger: join(directory, "ledger"),
        executions: scale.executions,
        workers: scale.workers,
        concurrency: CONCURRENCY,
      });
      const positions = meanPositions(report.completionOrder);
      const latencies = report.apiLatencies;
      console.info(
        `[faults] overload: ${scale.executions} executions created in ${report.createMs} ms, drained by ` +
          `${scale.workers} workers (concurrency ${CONCURRENCY}) in ${report.drainMs} ms ` +
          `(${Math.round(scale.executions / (report.drainMs / 1000))}/s); step bodies by worker ` +
          `${JSON.stringify(Object.fromEntries(report.byWorker))}; mean completion position by task ` +
          `${JSON.stringify(positions)}, longest run without one task ${longestGap(report.completionOrder)} ` +
          `completions; peak RSS per worker ${JSON.stringify(report.peakRssMiB)} MiB (first half ` +
          `${report.rssHalves[0]}, second half ${report.rssHalves[1]}); GET /api/v1/executions/{id}: ` +
          `${latencies.length} requests, p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ` +
          `${quantile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms, ${report.apiErrors} errors`,
      );

      // Nothing shed, nothing run twice: every execution's step body ran exactly once.
      expect(report.runs.size).toBe(scale.executions);
      for (const [id, count] of report.runs) expect(count, id).toBe(1);
      expect(report.completionOrder).toHaveLength(scale.executions);
      // Every worker took part, and the API answered throughout.
      expect(report.byWorker.size).toBe(scale.workers);
      expect(latencies.length).toBeGreaterThan(0);
      expect(report.apiErrors).toBe(0);
      // Fair across tasks: started interleaved, each task's completions are spread over the whole
      // run (a task served only after the others would sit near 1/6 or 5/6).
      for (const task of OVERLOAD_TASKS) expect(Math.abs(positions[task]! - 0.5)).toBeLessThan(0.05);
      // Memory stays bounded: the second half of the run peaks no higher than the first plus slack.
      expect(report.rssHalves[1]).toBeLessThan(report.rssHalves[0] * 1.5);
    },
    900_000,
  );
});
