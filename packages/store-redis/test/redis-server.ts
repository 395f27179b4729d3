import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/**
 * Whether a `redis-server` binary is on the PATH (the tests that start their own misconfigured
 * server need one). Without it those tests are skipped, unless `ZART_TEST_REQUIRE_ALL=1`.
 */
export const redisServerInstalled = spawnSync("redis-server", ["--version"]).status === 0;
/** Whether `redis-cli` is there too (needed to form a test Cluster). */
export const redisCliInstalled = spawnSync("redis-cli", ["--version"]).status === 0;
if (!redisServerInstalled || !redisCliInstalled) {
  if (process.env.ZART_TEST_REQUIRE_ALL === "1") {
    throw new Error(
      "@zart/store-redis tests: redis-server is not on the PATH (ZART_TEST_REQUIRE_ALL=1 is set).",
    );
  }
  console.warn(
    "!! @zart/store-redis: SKIPPING the eviction-policy tests: no redis-server binary on the PATH.",
  );
}

/** A throwaway redis-server process on a free port, for tests that need a misconfigured server. */
export interface TestRedisServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Starts `redis-server --port <free> <args…>` in a temporary directory and waits until it answers. */
export async function startRedisServer(args: string[], port?: number): Promise<TestRedisServer> {
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zart-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "no", ...args],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const giveUp = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.ping();
      return { url, stop };
    } catch (error) {
      if (Date.now() > giveUp || child.exitCode !== null) {
        await stop();
        throw new Error(`redis-server ${args.join(" ")} did not start: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}

/** A throwaway Redis Cluster of `size` primaries (no replicas), all slots assigned. */
export interface TestRedisCluster {
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Starts `size` cluster-enabled servers and joins them with `redis-cli --cluster create`. */
export async function startRedisCluster(size = 3): Promise<TestRedisCluster> {
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const servers = await Promise.all(
    ports.map((port) =>
      startRedisServer(
        ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", ""],
        port,
      ),
    ),
  );
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  const create = spawnSync(
    "redis-cli",
    [
      "--cluster",
      "create",
      ...ports.map((port) => `127.0.0.1:${port}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ],
    { encoding: "utf8" },
  );
  if (create.status !== 0) {
    await stop();
    throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  }
  const nodes = ports.map((port) => ({ host: "127.0.0.1", port }));
  const giveUp = Date.now() + 10_000;
  for (;;) {
    const states = await Promise.all(
      nodes.map(async ({ port }) => {
        const client = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0 });
        try {
          return String(await client.cluster("INFO")).includes("cluster_state:ok");
        } finally {
          client.disconnect();
        }
      }),
    );
    if (states.every(Boolean)) return { nodes, stop };
    if (Date.now() > giveUp) {
      await stop();
      throw new Error("the test Redis Cluster did not reach cluster_state:ok");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
