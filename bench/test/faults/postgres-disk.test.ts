import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
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
import { PostgresScheduler } from "@zart/store-postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { storeUrls } from "./fault-env.js";

/**
 * Item 4 of issue #19, PostgreSQL: a throwaway database whose tablespace is a 4 MiB tmpfs, filled
 * mid-run. Only the tablespace fills (the server's WAL stays on its own disk), so the shared server
 * is safe. Needs root (to mount) and the server on this machine; skipped otherwise.
 */
const urls = storeUrls();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function localServer(): boolean {
  if (urls.postgres === undefined || process.getuid?.() !== 0) return false;
  const host = new URL(urls.postgres).hostname;
  return ["127.0.0.1", "localhost", "::1"].includes(host) && spawnSync("id", ["postgres"]).status === 0;
}

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

describe("PostgreSQL out of disk", () => {
  it.skipIf(!localServer())(
    "a tablespace filled mid-run: StoreUnavailableError, nothing committed lost, recovers with space",
    async () => {
      const dir = mkdtempSync("/tmp/zart-pgspace-");
      expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", dir]).status).toBe(0);
      spawnSync("chown", ["postgres:postgres", dir]);
      const name = `zart_faults_disk_${process.pid}`;
      const admin = new pg.Client({ connectionString: urls.postgres });
      await admin.connect();
      cleanups.push(async () => {
        spawnSync("umount", [dir]);
        rmSync(dir, { recursive: true, force: true });
      });
      cleanups.push(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`DROP TABLESPACE IF EXISTS ${name}`);
        await admin.end();
      });
      await admin.query(`CREATE TABLESPACE ${name} LOCATION '${dir}'`);
      await admin.query(`CREATE DATABASE ${name} TABLESPACE ${name}`);
      const url = new URL(urls.postgres!);
      url.pathname = `/${name}`;
      const scheduler = new PostgresScheduler({ connectionString: url.toString(), logger: silentLogger });
      cleanups.push(() => scheduler.close());
      await scheduler.migrate();
      const registry = new TaskRegistry().register(padded);
      const client = new DurableScheduler(scheduler, { registry });
      const errors: unknown[] = [];
      const record = (fields: unknown) => {
        const { error } = fields as { error?: unknown };
        if (error !== undefined) errors.push(error);
      };
      const logger: Logger = { ...silentLogger, error: record, warn: record };
      const worker = new Worker({ scheduler, registry, pollInterval: 50, leaseDuration: "1s", logger });
      const padding = "p".repeat(2_000);
      const started: number[] = [];
      for (let n = 0; n < 20; n++) {
        await client.start(`e${n}`, "padded", { n, padding });
        started.push(n);
      }
      await worker.start();
      const filler = join(dir, "filler");
      fill(filler);
      let refusal: unknown;
      for (let n = 20; refusal === undefined && n < 20_000; n++) {
        try {
          await client.start(`e${n}`, "padded", { n, padding: padding + "q".repeat(n % 1000) });
          started.push(n);
        } catch (error) {
          refusal = error;
        }
      }
      expect(refusal).toBeInstanceOf(StoreUnavailableError);
      expect(String((refusal as Error).message)).toMatch(/53100|space/i);
      rmSync(filler);
      expect(existsSync(filler)).toBe(false);
      const giveUp = Date.now() + 60_000;
      const done = async () =>
        (await scheduler.listExecutions({ status: "completed", limit: 100_000, offset: 0 })).length;
      while ((await done()) < started.length) {
        if (Date.now() > giveUp) throw new Error("executions did not complete once space returned");
        await sleep(50);
      }
      await worker.stop();
      for (const error of errors)
        expect(String(error)).toMatch(/StoreUnavailableError|LeaseLostError|53100|space/i);
      const all = await scheduler.listExecutions({ limit: 100_000, offset: 0 });
      expect(all).toHaveLength(started.length);
    },
  );
});
