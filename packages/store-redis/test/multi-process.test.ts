import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DurableScheduler, silentLogger } from "@zart/core";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { KeyLayout, RedisScheduler } from "../src/index.js";
import { deleteKeyspace, REDIS_URL, redisAvailable, uniquePrefix } from "./redis-env.js";

const PREFIX = uniquePrefix("multiprocess");
const LEDGER = `${new KeyLayout(PREFIX).base}test-ledger`;
const WORKERS = 3;
const EXECUTIONS = 300;
const STEPS = 5;
const MAX_KILLS = 12;
const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL("./fixtures/multi-process-worker.ts", import.meta.url));

interface Incarnation {
  id: string;
  process: ChildProcess;
  ready: boolean;
  killed: boolean;
}

/** Spawns one worker process; `ready` turns true once it polls. */
function spawnWorker(id: string): Incarnation {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", WORKER_SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ZART_TEST_REDIS_URL: REDIS_URL,
      ZART_TEST_PREFIX: PREFIX,
      ZART_TEST_LEDGER: LEDGER,
      ZART_TEST_INCARNATION: id,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const incarnation: Incarnation = { id, process: child, ready: false, killed: false };
  child.stdout?.on("data", (chunk: Buffer) => {
    if (chunk.toString().includes("ready")) incarnation.ready = true;
  });
  return incarnation;
}

function kill(incarnation: Incarnation): Promise<void> {
  incarnation.killed = true;
  if (incarnation.process.exitCode !== null || incarnation.process.signalCode !== null)
    return Promise.resolve();
  const exited = new Promise<void>((resolve) => incarnation.process.once("exit", () => resolve()));
  incarnation.process.kill("SIGKILL");
  return exited;
}

describe.skipIf(!redisAvailable)("several worker processes, SIGKILLed at random", () => {
  const incarnations: Incarnation[] = [];
  afterAll(async () => {
    await Promise.all(incarnations.map(kill));
    await deleteKeyspace(PREFIX);
  });

  it(`finishes ${EXECUTIONS} executions of ${STEPS} steps; only steps in flight at a kill run twice`, async () => {
    await deleteKeyspace(PREFIX);
    const scheduler = new RedisScheduler({ url: REDIS_URL, prefix: PREFIX, logger: silentLogger });
    const durable = new DurableScheduler(scheduler);
    const ledger = new Redis(REDIS_URL);
    try {
      let next = 0;
      const slots = Array.from({ length: WORKERS }, () => spawnWorker(`w${next++}`));
      incarnations.push(...slots);
      for (let i = 0; i < EXECUTIONS; i++) await durable.start(`e${i}`, "five-steps", { i });

      // Every second, SIGKILL a random worker and start a replacement, as long as all the others are
      // up (tsx start-up is slow on a loaded machine; at most one worker is down at a time), until
      // MAX_KILLS kills.
      let kills = 0;
      const completed = async () =>
        (await scheduler.listExecutions({ status: "completed", limit: 1_000, offset: 0 })).length;
      const giveUp = Date.now() + 100_000;
      while ((await completed()) < EXECUTIONS) {
        expect(Date.now(), "all executions should complete").toBeLessThan(giveUp);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (kills >= MAX_KILLS || !slots.every((incarnation) => incarnation.ready)) continue;
        if ((await completed()) === EXECUTIONS) break;
        const slot = Math.floor(Math.random() * WORKERS);
        await kill(slots[slot]!);
        kills++;
        slots[slot] = spawnWorker(`w${next++}`);
        incarnations.push(slots[slot]!);
      }
      expect(kills).toBeGreaterThan(0);

      const killed = new Set(incarnations.filter((i) => i.killed).map((i) => i.id));
      const runs = new Map<string, string[]>();
      for (const entry of await ledger.lrange(LEDGER, 0, -1)) {
        const [executionId, step, incarnation] = entry.split(" ");
        const key = `${executionId} ${step}`;
        runs.set(key, [...(runs.get(key) ?? []), incarnation!]);
      }
      let reruns = 0;
      const rerunsByIncarnation = new Map<string, number>();
      for (let i = 0; i < EXECUTIONS; i++) {
        const details = await scheduler.getExecution(`e${i}`);
        expect(details?.execution).toMatchObject({ status: "completed", result: String(STEPS) });
        expect(details?.steps.map((s) => [s.name, s.status])).toEqual(
          Array.from({ length: STEPS }, (_, n) => [`s${n}`, "completed"]),
        );
        for (const step of details!.steps) {
          const ran = runs.get(`e${i} ${step.name}`) ?? [];
          // The step ran at least once; the persisted result is that of its last run.
          expect(ran.length).toBeGreaterThan(0);
          expect(step.result).toBe(JSON.stringify(ran.at(-1)));
          // Every earlier run was in flight in a worker that was then killed.
          for (const incarnation of ran.slice(0, -1)) {
            expect(killed.has(incarnation), `e${i} ${step.name} re-ran after ${incarnation}`).toBe(true);
            rerunsByIncarnation.set(incarnation, (rerunsByIncarnation.get(incarnation) ?? 0) + 1);
            reruns++;
          }
        }
      }
      // A killed worker had at most `concurrency` (10) executions, each with at most one step in flight.
      for (const count of rerunsByIncarnation.values()) expect(count).toBeLessThanOrEqual(10);
      console.info(
        `[multi-process] ${EXECUTIONS} executions done with ${kills} SIGKILLs; ${reruns} step re-runs (steps in flight at a kill)`,
      );
    } finally {
      ledger.disconnect();
      await scheduler.close();
    }
  }, 150_000);
});
