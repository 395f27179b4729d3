/**
 * absurd: durable tasks in Postgres via the `absurd` schema. The SDK expects that schema to be
 * installed by `absurdctl init` (a Python tool); the npm package would have to ship its SQL for us
 * to install it. `prepare` looks for it and, when it is absent, fails with that reason.
 */
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { packageVersion } from "../harness/versions.js";
import { QUEUE_KINDS } from "../tasks.js";
import type { PreparedWorker, SystemAdapter } from "./types.js";

const PACKAGE_DIR = fileURLToPath(new URL("../../node_modules/absurd-sdk/", import.meta.url));

async function findSql(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".sql")) found.push(entry.name);
  }
  return found;
}

export const adapter: SystemAdapter = {
  name: "absurd",
  family: "durable",
  inProcess: false,
  multiProcess: true,
  kinds: [...QUEUE_KINDS, "three-steps", "wait-event", "fan-out", "sleep"],
  settings: "not run (see failures)",
  version: async () => `absurd-sdk ${await packageVersion("absurd-sdk")}`,
  async prepare() {
    const sql = await findSql(PACKAGE_DIR);
    const version = await packageVersion("absurd-sdk");
    if (sql.length === 0) {
      throw new Error(
        `absurd-sdk ${version} ships no SQL: its schema (absurd.sql: absurd.spawn_task, claim_task, …) ` +
          "is installed by `absurdctl init`, a Python CLI that is not part of the npm package",
      );
    }
    throw new Error(
      `absurd-sdk ${version} ships ${sql.join(", ")}, but this adapter does not install it yet`,
    );
  },
  startWorker(): Promise<PreparedWorker> {
    return Promise.reject(new Error("absurd is not run"));
  },
};
