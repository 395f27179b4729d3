import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, fromJsonText } from "@zart/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteScheduler } from "../src/index.js";
import { LEDGER_STEPS, type LedgerResult } from "./fixtures/ledger-task.js";
import { byStep, readLedger } from "./support/ledger.js";
import { runScript, type ScriptProcess, stopScript } from "./support/processes.js";
import { SHIPPED_MIGRATIONS } from "./support/shipped-migrations.js";

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-processes-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A migrated database file with `count` ledger executions started, and its ledger path. */
async function startLedgerExecutions(name: string, count: number) {
  const path = join(directory, `${name}.db`);
  const ledger = join(directory, `${name}.ledger`);
  const scheduler = new SqliteScheduler({ path });
  await scheduler.migrate();
  const durable = new DurableScheduler(scheduler);
  for (let i = 0; i < count; i++) await durable.start(`${name}-${i}`, "ledger", { i });
  return { path, ledger, scheduler };
}

/** Waits (polling the file, as another process would) until `count` executions completed. */
async function untilCompleted(scheduler: SqliteScheduler, count: number, workers: ScriptProcess[]) {
  for (;;) {
    const done = await scheduler.listExecutions({ status: "completed", limit: count, offset: 0 });
    if (done.length === count) return;
    for (const worker of workers) {
      if (worker.child.exitCode !== null) throw new Error(`a worker exited early:\n${worker.stderr()}`);
    }
    await sleep(50);
  }
}

/** The persisted result of every ledger step, by `<execution>/<step>`. */
async function persistedResults(scheduler: SqliteScheduler, count: number) {
  const results = new Map<string, LedgerResult>();
  for (const { execution, steps } of await scheduler.listExecutions({ limit: count, offset: 0 })) {
    for (const step of steps) {
      results.set(`${execution.executionId}/${step.name}`, fromJsonText(step.result) as LedgerResult);
    }
  }
  return results;
}

describe("several processes on one database file", () => {
  it("two worker processes run 200 executions of 3 steps with no step run twice", async () => {
    const count = 200;
    const path = join(directory, "shared.db");
    const ledger = join(directory, "shared.ledger");
    const scheduler = new SqliteScheduler({ path });
    await scheduler.migrate();
    const workers = [0, 1].map(() => runScript("ledger-worker.ts", [path, ledger, "2", "30000"]));
    try {
      await Promise.all(workers.map((worker) => worker.waitFor("ready")));
      // Started from this process while both workers poll: their wake-ups cross processes by polling.
      const durable = new DurableScheduler(scheduler);
      for (let i = 0; i < count; i++) await durable.start(`shared-${i}`, "ledger", { i });
      await untilCompleted(scheduler, count, workers);
    } finally {
      await Promise.all(workers.map((worker) => stopScript(worker, "SIGTERM")));
    }

    const lines = readLedger(ledger);
    const runs = lines.filter((line) => line.kind === "ran");
    expect(runs).toHaveLength(count * LEDGER_STEPS.length);
    const groups = byStep(runs);
    expect(groups.size).toBe(count * LEDGER_STEPS.length);
    for (const [key, group] of groups) expect(group, key).toHaveLength(1);
    // Both processes took part.
    const pids = new Set(runs.map((line) => line.pid));
    expect([...pids].sort()).toEqual(workers.map((w) => w.child.pid).sort());
    // What was persisted is what ran.
    const results = await persistedResults(scheduler, count);
    for (const run of runs) expect(results.get(`${run.executionId}/${run.step}`)?.runId).toBe(run.runId);
    await scheduler.close();
  });

  it("loses nothing when a worker is killed with SIGKILL mid-step; a new worker finishes its executions", async () => {
    const count = 40;
    const { path, ledger, scheduler } = await startLedgerExecutions("killed", count);
    // Steps of 40 ms and 1 s leases: the first worker is killed while it runs steps, and the second
    // reclaims its executions once their leases expire.
    const first = runScript("ledger-worker.ts", [path, ledger, "40", "1000"]);
    try {
      await first.waitFor("ready");
      while (readLedger(ledger).filter((line) => line.kind === "persisted").length < 20) await sleep(10);
    } finally {
      await stopScript(first, "SIGKILL");
    }
    const killedPid = first.child.pid;
    const atKill = readLedger(ledger);
    expect(atKill.length).toBeGreaterThan(0);

    const second = runScript("ledger-worker.ts", [path, ledger, "0", "1000"]);
    try {
      await untilCompleted(scheduler, count, [second]);
    } finally {
      await stopScript(second, "SIGTERM");
    }

    const lines = readLedger(ledger);
    const results = await persistedResults(scheduler, count);
    expect(results.size).toBe(count * LEDGER_STEPS.length);
    for (const [key, group] of byStep(lines)) {
      const runs = group.filter((line) => line.kind === "ran");
      const persisted = group.filter((line) => line.kind === "persisted");
      // At most one run's result was persisted, and it is the one the database holds.
      expect(persisted.length, key).toBeLessThanOrEqual(1);
      const kept = results.get(key);
      expect(
        runs.map((run) => run.runId),
        key,
      ).toContain(kept?.runId);
      if (persisted[0] !== undefined) expect(persisted[0].runId, key).toBe(kept?.runId);
      // A completed step never runs again: nothing of this step follows its "persisted" line.
      if (persisted[0] !== undefined) expect(group.at(-1), key).toBe(persisted[0]);
      // Extra runs are only those the killed worker had in flight (at least once, not exactly once).
      const extra = runs.filter((run) => run.runId !== kept?.runId);
      expect(extra.length, key).toBeLessThanOrEqual(1);
      for (const run of extra) expect(run.pid, key).toBe(killedPid);
    }
    await scheduler.close();
  });

  it("two processes calling migrate() at once both succeed, and each migration is applied once", async () => {
    const paths = Array.from({ length: 10 }, (_, i) => join(directory, `migrate-${i}.db`));
    const racers = [0, 1].map(() => runScript("migrate-process.ts", paths));
    try {
      await Promise.all(racers.map((racer) => racer.waitFor("ready")));
      for (const racer of racers) racer.child.stdin?.write("go\n");
      const exits = await Promise.all(racers.map((racer) => racer.exited));
      expect(exits, racers.map((racer) => racer.stderr()).join("\n")).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
    } finally {
      await Promise.all(racers.map((racer) => stopScript(racer)));
    }
    for (const path of paths) {
      const database = new Database(path, { readonly: true });
      const applied = database.prepare("SELECT count(*) AS n FROM __zart_migrations").get() as { n: number };
      const tables = database
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'zart_%' ORDER BY name")
        .all();
      database.close();
      expect(applied.n).toBe(SHIPPED_MIGRATIONS);
      expect(tables).toEqual([{ name: "zart_events" }, { name: "zart_executions" }, { name: "zart_steps" }]);
    }
  });
});
