import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DurableScheduler, fromJsonText, type Scheduler } from "@zart/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { byStep, LEDGER_STEPS, LEDGER_TASK, type LedgerResult, readLedger } from "./ledger.js";
import type { MultiProcessOptions, SchedulerOpener } from "./options.js";
import { running, spawnWorker, stop, type WorkerArgs, type WorkerProcess } from "./processes.js";

/** Executions per worker process at once. */
const CONCURRENCY = 4;

/** One test's world: a migrated storage, a scheduler on it in this process, a ledger file. */
interface World {
  scheduler: Scheduler;
  args: (stepMs: number, leaseMs: number) => WorkerArgs;
  ledger: string;
  workers: WorkerProcess[];
  start(count: number): Promise<string[]>;
  /** Waits until `count` executions completed; fails when a worker exited by itself or after `ms`. */
  untilCompleted(count: number, ms: number, onTick?: () => Promise<void>): Promise<void>;
}

/**
 * Several worker processes on one storage, SIGKILLed at random (SPEC: at-least-once step bodies,
 * exactly-once persisted results). The store's opener module opens a scheduler in each process; a
 * ledger file records every run of a step body and every result a process persisted. Needs `tsx`
 * (worker processes run TypeScript) and a store whose storage other processes reach.
 */
export function multiProcessSuite(options: MultiProcessOptions): void {
  describe(`zart multi-process: ${options.name}`, () => {
    const directory = mkdtempSync(join(tmpdir(), "zart-multi-process-"));
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    let worlds = 0;
    const world = async (): Promise<World> => {
      const config = await options.storage();
      if (options.dispose !== undefined) cleanups.push(() => options.dispose!(config));
      const open = ((await import(options.opener.href)) as { default: SchedulerOpener }).default;
      const scheduler = await open(config);
      cleanups.push(() => scheduler.close());
      await scheduler.migrate();
      const ledger = join(directory, `ledger-${++worlds}`);
      const workers: WorkerProcess[] = [];
      cleanups.push(async () => {
        await Promise.all(workers.map((proc) => stop(proc, "SIGKILL")));
      });
      return {
        scheduler,
        ledger,
        workers,
        args: (stepMs, leaseMs) => ({
          opener: options.opener,
          config,
          ledger,
          stepMs,
          leaseMs,
          concurrency: CONCURRENCY,
        }),
        async start(count) {
          const durable = new DurableScheduler(scheduler);
          const ids = Array.from({ length: count }, (_, i) => `x${String(i).padStart(4, "0")}`);
          for (const id of ids) await durable.start(id, LEDGER_TASK, null);
          return ids;
        },
        async untilCompleted(count, ms, onTick) {
          const giveUp = performance.now() + ms;
          for (;;) {
            const done = await scheduler.listExecutions({ status: "completed", limit: count, offset: 0 });
            if (done.length === count) return;
            for (const proc of workers) {
              if (!proc.killed && !running(proc))
                throw new Error(`worker ${proc.id} exited:\n${proc.stderr()}`);
            }
            if (performance.now() > giveUp) throw new Error(`only ${done.length} of ${count} completed`);
            await sleep(250);
            await onTick?.();
          }
        },
      };
    };

    /** The persisted result of every ledger step, by `<execution>/<step>`, after checking each execution. */
    const persistedResults = async (scheduler: Scheduler, ids: string[]) => {
      const results = new Map<string, LedgerResult>();
      for (const id of ids) {
        const details = await scheduler.getExecution(id);
        expect(details?.execution).toMatchObject({ status: "completed", result: JSON.stringify("done") });
        expect(details?.steps.map((step) => [step.name, step.status])).toEqual(
          LEDGER_STEPS.map((step) => [step, "completed"]),
        );
        for (const step of details!.steps) {
          results.set(`${id}/${step.name}`, fromJsonText(step.result) as LedgerResult);
        }
      }
      return results;
    };

    it("two worker processes share the executions: every step body runs once, and its result is kept", async () => {
      const w = await world();
      w.workers.push(...["a", "b"].map((id) => spawnWorker(id, w.args(0, 30_000))));
      await Promise.all(w.workers.map((proc) => until(() => proc.ready || !running(proc))));
      // Started from this process while both workers poll: the wake-ups cross processes.
      const ids = await w.start(100);
      await w.untilCompleted(ids.length, 120_000);
      await Promise.all(w.workers.map((proc) => stop(proc, "SIGTERM")));

      const runs = readLedger(w.ledger).filter((line) => line.kind === "ran");
      const groups = byStep(runs);
      expect(groups.size).toBe(ids.length * LEDGER_STEPS.length);
      for (const [key, group] of groups) expect(group, key).toHaveLength(1);
      expect(new Set(runs.map((run) => run.worker))).toEqual(new Set(["a", "b"]));
      const results = await persistedResults(w.scheduler, ids);
      for (const run of runs) {
        expect(results.get(`${run.executionId}/${run.step}`)).toEqual({
          runId: run.runId,
          worker: run.worker,
        });
      }
    }, 180_000);

    it("loses nothing when workers are SIGKILLed mid-step: re-runs only for steps in flight at a kill", async () => {
      const w = await world();
      const count = options.executions ?? 200;
      const args = w.args(100, 3_000);
      let next = 0;
      const slots = Array.from({ length: 3 }, () => spawnWorker(`w${next++}`, args));
      w.workers.push(...slots);
      const ids = await w.start(count);
      // Whenever every slot's process polls and steps are being persisted, SIGKILL a random one and
      // start a replacement (at most one down at a time; process start-up is slow on a loaded
      // machine), up to 6 kills.
      let kills = 0;
      await w.untilCompleted(count, 240_000, async () => {
        if (kills >= 6 || !slots.every((proc) => proc.ready)) return;
        if (!readLedger(w.ledger).some((line) => line.kind === "persisted")) return;
        const slot = Math.floor(Math.random() * slots.length);
        await stop(slots[slot]!, "SIGKILL");
        kills++;
        slots[slot] = spawnWorker(`w${next++}`, args);
        w.workers.push(slots[slot]!);
      });
      expect(kills).toBeGreaterThan(0);

      const killed = new Set(w.workers.filter((proc) => proc.killed).map((proc) => proc.id));
      const results = await persistedResults(w.scheduler, ids);
      const rerunsBy = new Map<string, number>();
      for (const [key, group] of byStep(readLedger(w.ledger))) {
        const runs = group.filter((line) => line.kind === "ran");
        const persisted = group.filter((line) => line.kind === "persisted");
        const kept = results.get(key);
        // One run's result was persisted, the one the store holds: the last run.
        expect(persisted.length, key).toBeLessThanOrEqual(1);
        expect(runs.at(-1)?.runId, key).toBe(kept?.runId);
        if (persisted[0] !== undefined) {
          expect(persisted[0].runId, key).toBe(kept?.runId);
          // A completed step never runs again: nothing of this step follows its "persisted" line.
          expect(group.at(-1), key).toBe(persisted[0]);
        }
        // Every earlier run was in flight in a worker that was then killed, at most one per kill.
        const interrupted = runs.slice(0, -1).map((run) => run.worker);
        expect(new Set(interrupted).size, key).toBe(interrupted.length);
        for (const worker of interrupted) {
          expect(killed.has(worker), `${key} re-ran after ${worker}`).toBe(true);
          rerunsBy.set(worker, (rerunsBy.get(worker) ?? 0) + 1);
        }
      }
      // A killed worker had at most CONCURRENCY executions, each with one step in flight.
      for (const count of rerunsBy.values()) expect(count).toBeLessThanOrEqual(CONCURRENCY);
      expect(results.size).toBe(count * LEDGER_STEPS.length);
      const reruns = [...rerunsBy.values()].reduce((sum, n) => sum + n, 0);
      console.info(
        `[multi-process] ${options.name}: ${count} executions, ${kills} SIGKILLs, ${reruns} step re-runs`,
      );
    }, 300_000);
  });
}

/** Polls `condition` (real time: processes start in the background) for up to 60 s. */
async function until(condition: () => boolean): Promise<void> {
  const giveUp = performance.now() + 60_000;
  while (!condition()) {
    if (performance.now() > giveUp) throw new Error("gave up waiting for the worker processes");
    await sleep(50);
  }
}
