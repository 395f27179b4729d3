import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DurableScheduler,
  defineTask,
  type Logger,
  StoreUnavailableError,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteScheduler } from "../../src/index.js";
import { runScript, stopScript } from "../support/processes.js";

/**
 * Item 4 of issue #19: SQLite on a real, small filesystem (a 2 MiB tmpfs mounted for the test;
 * needs root, skipped otherwise) filled mid-run, and a WAL left by a SIGKILL during a checkpoint.
 */
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

/** Mounts a tmpfs of `size` on a new directory; `undefined` when this process may not mount. */
function smallFilesystem(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), "zart-full-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status === 0;
  if (!mounted) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  cleanups.push(() => {
    spawnSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Writes `path` until the filesystem is full (ENOSPC). */
function fill(path: string): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

const padded = defineTask({
  name: "padded",
  async run(ctx, input: { n: number; padding: string }) {
    const a = await ctx.step("a", async () => input.padding.length + input.n);
    return await ctx.step("b", async () => a * 2);
  },
});

const tmpfs = process.getuid?.() === 0 ? smallFilesystem("2m") : undefined;

describe("SQLite on a full disk", () => {
  it.skipIf(tmpfs === undefined)(
    "filled mid-run: StoreUnavailableError on writes, no committed execution lost, recovers with space",
    async () => {
      const path = join(tmpfs!, "zart.db");
      const scheduler = new SqliteScheduler({ path });
      cleanups.push(() => void scheduler.close());
      await scheduler.migrate();
      const registry = new TaskRegistry().register(padded);
      const client = new DurableScheduler(scheduler, { registry });
      const errors: unknown[] = [];
      const record = (fields: unknown) => {
        const { error } = fields as { error?: unknown };
        if (error !== undefined) errors.push(error);
      };
      const logger: Logger = { ...silentLogger, error: record, warn: record };
      // A run whose write failed keeps its lease until it expires: a short lease to resume soon.
      const worker = new Worker({
        scheduler,
        registry,
        pollInterval: 50,
        leaseDuration: "1s",
        concurrency: 4,
        logger,
      });
      const padding = "p".repeat(2_000);
      const started: number[] = [];
      for (let n = 0; n < 20; n++) {
        await client.start(`e${n}`, "padded", { n, padding });
        started.push(n);
      }
      await worker.start();
      // Mid-run: the disk fills up. Starts keep coming until one is refused.
      fill(join(tmpfs!, "filler"));
      let refusal: unknown;
      for (let n = 20; refusal === undefined && n < 5_000; n++) {
        try {
          await client.start(`e${n}`, "padded", { n, padding });
          started.push(n);
        } catch (error) {
          refusal = error;
        }
      }
      expect(refusal).toBeInstanceOf(StoreUnavailableError);
      expect(String((refusal as Error).message)).toMatch(/SQLITE_FULL|disk/i);
      // The worker keeps going: its failed writes are the store being unavailable, nothing else.
      while (errors.length < 2) await sleep(20);
      // Space returns: every execution whose start was acknowledged completes.
      rmSync(join(tmpfs!, "filler"));
      const giveUp = Date.now() + 60_000;
      const done = async () =>
        (await scheduler.listExecutions({ status: "completed", limit: 10_000, offset: 0 })).length;
      while ((await done()) < started.length) {
        if (Date.now() > giveUp) throw new Error("executions did not complete once space returned");
        await sleep(50);
      }
      await worker.stop();
      for (const error of errors)
        expect(String(error)).toMatch(/StoreUnavailableError|LeaseLostError|SQLITE_FULL|disk/i);
      const all = await scheduler.listExecutions({ limit: 10_000, offset: 0 });
      expect(all.map((e) => e.execution.executionId).sort()).toEqual(started.map((n) => `e${n}`).sort());
      for (const { execution } of all) {
        const n = Number(execution.executionId.slice(1));
        expect(execution.result).toBe(String((padding.length + n) * 2));
      }
      const db = new Database(path, { readonly: true });
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      db.close();
    },
  );
});

describe("SQLite WAL after a SIGKILL", () => {
  it("a WAL left by a process killed during a checkpoint recovers every committed execution", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zart-wal-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "zart.db");
    const writer = runScript("wal-writer.ts", [path, "150"]);
    try {
      await writer.waitFor("checkpointing");
    } finally {
      await stopScript(writer, "SIGKILL");
    }
    // The kill left the WAL behind, not empty: the first TRUNCATE checkpoint had not finished.
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    const committed = writer
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("started "))
      .map((line) => line.slice("started ".length));
    expect(committed).toHaveLength(150);
    const scheduler = new SqliteScheduler({ path });
    cleanups.push(() => void scheduler.close());
    const registry = new TaskRegistry().register(padded);
    const all = await scheduler.listExecutions({ limit: 10_000, offset: 0 });
    expect(all.map((e) => e.execution.executionId).sort()).toEqual([...committed].sort());
    const worker = new Worker({ scheduler, registry, concurrency: 8, logger: silentLogger });
    await worker.runUntilIdle();
    const completed = await scheduler.listExecutions({ status: "completed", limit: 10_000, offset: 0 });
    expect(completed).toHaveLength(150);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
