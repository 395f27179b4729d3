import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { createLedgerSql, expectedLedgerResult, LEDGER_STEPS } from "./support/ledger.js";
import { printed, spawnScript } from "./support/processes.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/**
 * 4 worker processes share one database and run 1,000 executions of 5 steps while a random
 * worker is SIGKILLed (and replaced) every second. Every execution must complete, and the ledger
 * of step-body runs (written inside each body) must show re-runs only for steps that were in flight
 * when their worker died: at most one extra run per step per kill, and no run after the step's
 * result was persisted.
 */

const EXECUTIONS = 1_000;
const WORKERS = 4;
const CONCURRENCY = 8;

let db: TestDatabase;

beforeAll(async () => {
  db = await useTestDatabase("multi", inject("zartPostgresUrl"));
});

afterAll(async () => {
  await db?.dispose();
});

interface Proc {
  id: string;
  child: ChildProcess;
}

describe("multi-process", () => {
  it("finishes 1,000 executions on 4 processes while one is SIGKILLed every second", async () => {
    const { url, schema, admin } = db;
    const client = new PostgresScheduler({ connectionString: url, schema, poolSize: 4 });
    const script = new URL("./support/worker-process.ts", import.meta.url);
    const alive = new Map<string, Proc>();
    const killed = new Set<string>();
    let spawned = 0;
    const spawnWorker = (): Proc => {
      const id = `w${++spawned}`;
      const child = spawnScript(script, [url, schema, id]);
      child.stdout?.resume();
      child.stderr?.resume();
      const proc = { id, child };
      alive.set(id, proc);
      child.once("exit", () => alive.delete(id));
      return proc;
    };
    try {
      await client.migrate();
      await admin.query(createLedgerSql(schema));
      const now = new Date();
      for (let i = 0; i < EXECUTIONS; i++) {
        const executionId = `x${String(i).padStart(4, "0")}`;
        await client.createExecution(
          { executionId, taskName: "ledger-chain", payload: "null", runAt: now },
          now,
        );
      }
      const first = Array.from({ length: WORKERS }, () => spawnWorker());
      await Promise.all(first.map((proc) => printed(proc.child, "ready")));

      const completed = async () => {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}".executions WHERE status = 'completed'`,
        );
        return rows[0]?.n ?? 0;
      };
      const giveUp = Date.now() + 150_000;
      while ((await completed()) < EXECUTIONS) {
        if (Date.now() > giveUp) throw new Error(`only ${await completed()} of ${EXECUTIONS} completed`);
        await sleep(1_000);
        const victims = [...alive.values()];
        const victim = victims[Math.floor(Math.random() * victims.length)];
        if (victim !== undefined && (await completed()) < EXECUTIONS) {
          killed.add(victim.id);
          victim.child.kill("SIGKILL");
          spawnWorker();
        }
      }
    } finally {
      for (const proc of alive.values()) proc.child.kill("SIGKILL");
      await client.close();
    }

    expect(killed.size).toBeGreaterThanOrEqual(3);
    const executions = await admin.query<{ execution_id: string; status: string; result: string }>(
      `SELECT execution_id, status, result FROM "${schema}".executions`,
    );
    expect(executions.rows).toHaveLength(EXECUTIONS);
    for (const row of executions.rows) {
      expect(row.status).toBe("completed");
      expect(row.result).toBe(JSON.stringify(expectedLedgerResult(row.execution_id)));
    }
    const steps = await admin.query<{ execution_id: string; position: number; completed_at: Date }>(
      `SELECT execution_id, position, completed_at FROM "${schema}".steps WHERE status = 'completed'`,
    );
    expect(steps.rows).toHaveLength(EXECUTIONS * LEDGER_STEPS);
    const persistedAt = new Map(steps.rows.map((s) => [`${s.execution_id}/${s.position}`, s.completed_at]));
    const ledger = await admin.query<{
      execution_id: string;
      step: number;
      worker: string;
      started_at: Date;
    }>(`SELECT execution_id, step, worker, started_at FROM "${schema}".ledger ORDER BY id`);
    const runsByStep = new Map<string, { worker: string; startedAt: Date }[]>();
    for (const run of ledger.rows) {
      const key = `${run.execution_id}/${run.step}`;
      runsByStep.set(key, [
        ...(runsByStep.get(key) ?? []),
        { worker: run.worker, startedAt: run.started_at },
      ]);
    }
    expect(runsByStep.size).toBe(EXECUTIONS * LEDGER_STEPS);
    let extraRuns = 0;
    for (const [key, runs] of runsByStep) {
      // No run of a step started after its result was persisted.
      for (const run of runs)
        expect(run.startedAt.getTime()).toBeLessThanOrEqual(persistedAt.get(key)!.getTime());
      // Every run but the last was cut short by the death of its worker: one per killed worker.
      const interrupted = runs.slice(0, -1).map((run) => run.worker);
      for (const worker of interrupted) expect(killed.has(worker)).toBe(true);
      expect(new Set(interrupted).size).toBe(interrupted.length);
      extraRuns += interrupted.length;
    }
    expect(extraRuns).toBeLessThanOrEqual(killed.size * CONCURRENCY);
    console.info(
      `multi-process: ${EXECUTIONS} executions, ${killed.size} workers SIGKILLed, ${extraRuns} step re-runs`,
    );
  }, 200_000);
});
