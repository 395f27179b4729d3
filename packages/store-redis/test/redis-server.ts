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
if (!redisServerInstalled) {
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
export async function startRedisServer(args: string[]): Promise<TestRedisServer> {
  const port = await freePort();
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
