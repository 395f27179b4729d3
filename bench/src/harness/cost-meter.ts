/**
 * The CPU and write cost of one measured phase: CPU time of the worker processes, of this process
 * (the client) and of the system's server side, plus Postgres commits and WAL bytes. CPU time, not
 * wall time, so the figures hold when other work shares the machine's cores.
 *
 * Server side: a Postgres system's backends on its own database (pids from `pg_stat_activity`,
 * CPU from `/proc`, sampled so backends that come and go are counted); a Redis system's whole server
 * (`INFO cpu`); or a server process the adapter started (Restate).
 */
import { Redis } from "ioredis";
import pg from "pg";
import type { SystemEnv } from "../systems/types.js";
import { CpuTracker, ownCpuMs, processCpuMs } from "./proc-cpu.js";
import { PG_URL } from "./services.js";
import { WalReader } from "./wal.js";

const SAMPLE_MS = 250;

export interface CostSources {
  /** Worker processes; empty when the worker runs in this process (its CPU is then this process's). */
  workerPids: readonly number[];
  /** Measure this process as the client (enqueue) separately from the workers. */
  client: boolean;
  env: SystemEnv;
  /** A server process the adapter started for this run; its CPU is the server side's. */
  serverPid?: number;
}

export interface Cost {
  workerMs: number;
  clientMs?: number;
  /** Server side: Postgres backends of the system's database, the Redis server, or the system's server. */
  databaseMs?: number;
  commits?: number;
  walBytes?: number;
  /** `database`: the WAL records of the system's database; `server`: the server-wide LSN delta. */
  walScope?: "database" | "server";
}

interface Reading {
  workers: number;
  own: number;
  server?: number;
  redis?: number;
}

export class CostMeter {
  readonly #sources: CostSources;
  readonly #pg: pg.Client | undefined;
  readonly #redis: Redis | undefined;
  readonly #backends = new CpuTracker();
  readonly #database: string | undefined;
  #start: Reading | undefined;
  #end: Reading | undefined;
  #pgStart: { commits: number; lsn: string; oid: number } | undefined;
  #wal: WalReader | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();

  private constructor(sources: CostSources) {
    this.#sources = sources;
    this.#database = sources.env.pgUrl
      ? decodeURIComponent(new URL(sources.env.pgUrl).pathname.slice(1))
      : undefined;
    this.#pg = this.#database ? new pg.Client({ connectionString: PG_URL }) : undefined;
    this.#redis = sources.env.redisUrl
      ? new Redis(sources.env.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
      : undefined;
  }

  /** Takes the starting readings and begins sampling the database's backends. */
  static async start(sources: CostSources): Promise<CostMeter> {
    const meter = new CostMeter(sources);
    try {
      await meter.#pg?.connect();
      await meter.#redis?.connect();
      if (meter.#pg) {
        // Without pg_walinspect, WAL falls back to the server-wide LSN delta.
        meter.#wal = await WalReader.open().catch(() => undefined);
        meter.#pgStart = await meter.#pgCounters();
        await meter.#sampleBackends(false);
        meter.#timer = setInterval(() => {
          meter.#sampling = meter.#sampling.then(() => meter.#sampleBackends(true)).catch(() => undefined);
        }, SAMPLE_MS);
      }
      meter.#start = await meter.#read();
      return meter;
    } catch (error) {
      await meter.close();
      throw error;
    }
  }

  /** Freezes the CPU figures: call when the last execution is done, before stopping anything. */
  async stopCpu(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sampling;
    if (this.#pg) await this.#sampleBackends(true);
    this.#end = await this.#read();
  }

  /**
   * Reads commits and WAL and returns the cost. Call after the workers and the client have closed:
   * a Postgres backend reports its commit count at exit, or up to 10 s later when idle.
   */
  async finish(): Promise<Cost> {
    if (!this.#end) await this.stopCpu();
    const start = this.#start as Reading;
    const end = this.#end as Reading;
    const inProcess = this.#sources.workerPids.length === 0;
    const cost: Cost = { workerMs: inProcess ? end.own - start.own : end.workers - start.workers };
    if (this.#sources.client && !inProcess) cost.clientMs = end.own - start.own;
    if (end.server !== undefined && start.server !== undefined) cost.databaseMs = end.server - start.server;
    if (end.redis !== undefined && start.redis !== undefined) cost.databaseMs = end.redis - start.redis;
    try {
      if (this.#pg && this.#pgStart) {
        cost.databaseMs = this.#backends.usedMs();
        const start = this.#pgStart;
        const now = await this.#pgCounters();
        cost.commits = now.commits - start.commits;
        const ours = await this.#wal?.databaseBytes(start.oid, start.lsn, now.lsn).catch(() => undefined);
        if (ours !== undefined) {
          Object.assign(cost, { walBytes: ours, walScope: "database" });
        } else {
          const { rows } = await this.#pg.query<{ bytes: string }>(
            "SELECT pg_wal_lsn_diff($1, $2)::bigint::text AS bytes",
            [now.lsn, start.lsn],
          );
          Object.assign(cost, { walBytes: Number(rows[0]?.bytes), walScope: "server" });
        }
      }
    } finally {
      await this.close();
    }
    return cost;
  }

  /** Releases the meter's connections (idempotent; `finish` does it). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#wal?.close();
    await this.#pg?.end().catch(() => undefined);
    this.#redis?.disconnect();
  }

  async #read(): Promise<Reading> {
    let workers = 0;
    for (const pid of this.#sources.workerPids) workers += (await processCpuMs(pid)) ?? 0;
    const reading: Reading = { workers, own: ownCpuMs() };
    if (this.#sources.serverPid !== undefined) reading.server = await processCpuMs(this.#sources.serverPid);
    if (this.#redis) {
      const info = await this.#redis.info("cpu");
      const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
      reading.redis = (seconds("used_cpu_sys") + seconds("used_cpu_user")) * 1000;
    }
    return reading;
  }

  async #sampleBackends(fromZero: boolean): Promise<void> {
    const { rows } = await (this.#pg as pg.Client).query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1",
      [this.#database],
    );
    await this.#backends.sample(
      rows.map((r) => r.pid),
      fromZero,
    );
  }

  /** Commits so far, the flushed WAL position (what `pg_walinspect` may read up to) and the database's oid. */
  async #pgCounters(): Promise<{ commits: number; lsn: string; oid: number }> {
    const { rows } = await (this.#pg as pg.Client).query<{ commits: string; lsn: string; oid: number }>(
      "SELECT xact_commit::text AS commits, pg_current_wal_flush_lsn()::text AS lsn, datid::int AS oid " +
        "FROM pg_stat_database WHERE datname = $1",
      [this.#database],
    );
    const row = rows[0];
    if (!row) throw new Error(`no pg_stat_database row for ${this.#database}`);
    return { commits: Number(row.commits), lsn: row.lsn, oid: row.oid };
  }
}
