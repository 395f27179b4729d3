import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CostMeter } from "../src/harness/cost-meter.js";
import { processCpuMs } from "../src/harness/proc-cpu.js";
import { PG_URL, resetDatabase } from "../src/harness/services.js";

const SUFFIX = `${process.pid}_${Date.now().toString(36)}`;
const DATABASE = `bench_meter_${SUFFIX}`;
/** Another database writing at the same time, whose WAL must not be counted. */
const OTHER = `bench_meter_other_${SUFFIX}`;
let url: string;
let otherUrl: string;

beforeAll(async () => {
  url = await resetDatabase(DATABASE);
  otherUrl = await resetDatabase(OTHER);
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const name of [DATABASE, OTHER]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

async function walinspectAvailable(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_walinspect'");
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

/** A child process that, told to, burns `ms` of CPU time, says so, then idles until killed. */
function busyChild(ms: number) {
  const script = `process.once("message", () => {
      const spent = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
      const until = spent() + ${ms};
      while (spent() < until);
      process.send("done");
    });
    setInterval(() => {}, 1000);`;
  return spawn(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
}

describe("CostMeter", () => {
  it("counts the CPU a worker process spends after the meter starts", async () => {
    const child = busyChild(300);
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      const meter = await CostMeter.start({
        workerPids: [child.pid ?? 0],
        client: false,
        env: { system: "t", tag: "t" },
      });
      child.send("burn");
      await new Promise((resolve) => child.once("message", resolve));
      const cost = await meter.finish();
      // /proc counts in 10 ms ticks.
      expect(cost.workerMs).toBeGreaterThanOrEqual(280);
      expect(cost.workerMs).toBeLessThanOrEqual((await processCpuMs(child.pid ?? 0)) ?? 0);
      expect(cost.clientMs).toBeUndefined();
      expect(cost.databaseMs).toBeUndefined();
    } finally {
      child.kill();
    }
  });

  it("counts the commits, WAL and backend CPU of the system's database only", async () => {
    const meter = await CostMeter.start({
      workerPids: [],
      client: false,
      env: { system: "t", tag: "t", pgUrl: url },
    });
    const client = new pg.Client({ connectionString: url });
    const other = new pg.Client({ connectionString: otherUrl });
    await client.connect();
    await other.connect();
    await client.query("CREATE TABLE t (n int)");
    for (let i = 0; i < 20; i++) await client.query("INSERT INTO t VALUES ($1)", [i]);
    await other.query("CREATE TABLE big AS SELECT n, md5(n::text) AS h FROM generate_series(1, 20000) AS n");
    await meter.stopCpu();
    await client.end();
    await other.end();
    const cost = await meter.finish();
    // 21 statements in autocommit, plus at most a few catalog transactions at connection start.
    expect(cost.commits).toBeGreaterThanOrEqual(21);
    expect(cost.commits).toBeLessThan(30);
    expect(cost.walBytes).toBeGreaterThan(20 * 50);
    if (await walinspectAvailable()) {
      // The other database wrote over 1 MB of WAL (20,000 rows of ~60 bytes); ours, a few kB.
      expect(cost.walScope).toBe("database");
      expect(cost.walBytes).toBeLessThan(200_000);
    } else {
      expect(cost.walScope).toBe("server");
    }
    expect(cost.databaseMs).toBeGreaterThanOrEqual(0);
    expect(cost.clientMs).toBeUndefined();
  });
});
