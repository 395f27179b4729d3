import { claimNewUnits } from "@zart/conformance";
import { silentLogger } from "@zart/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { schemaNames } from "../src/db/names.js";
import { PostgresScheduler } from "../src/index.js";
import { claimSql } from "../src/verbs/claim.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/**
 * A claim commits without waiting for the WAL flush (its loss in a server crash is a worker crash
 * before the claim: the fencing token goes with it), and only the claim: the same pooled session's
 * next statements, the holder's step writes among them, commit synchronously again.
 */

let db: TestDatabase;
let pool: pg.Pool;
let scheduler: PostgresScheduler;
const now = new Date("2026-12-06T12:00:00Z");

beforeAll(async () => {
  db = await useTestDatabase("asyncclaim", inject("zartPostgresUrl"));
  // One connection: the claim and the statements after it share a session.
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
  scheduler = new PostgresScheduler({ pool, schema: db.schema, logger: silentLogger });
  await scheduler.migrate();
});

afterAll(async () => {
  await scheduler?.close();
  await pool?.end();
  await db?.dispose();
});

const synchronousCommit = async (client: pg.ClientBase) =>
  (await client.query<{ synchronous_commit: string }>("SHOW synchronous_commit")).rows[0]!.synchronous_commit;

describe("the Postgres claim's commit", () => {
  it("turns synchronous_commit off for its own transaction once it chooses a unit", async () => {
    await scheduler.createExecution({ executionId: "a1", taskName: "t", payload: "null", runAt: now }, now);
    const client = await db.admin.connect();
    try {
      const claim = claimSql.text(schemaNames(db.schema));
      const params = [now, 1, "w", new Date(now.getTime() + 60_000), ["t"]];
      await client.query("BEGIN");
      // Nothing due of task "x": nothing chosen, nothing written, the setting untouched.
      expect((await client.query(claim, [now, 1, "w", params[3], ["x"]])).rowCount).toBe(0);
      expect(await synchronousCommit(client)).toBe("on");
      expect((await client.query(claim, params)).rowCount).toBe(1);
      expect(await synchronousCommit(client)).toBe("off");
      await client.query("ROLLBACK");
      expect(await synchronousCommit(client)).toBe("on");
    } finally {
      client.release();
    }
  });

  it("leaves the pooled session it ran on synchronous for the store's next statements", async () => {
    // Through the store, on the pool's only connection: the claim commits, the session stays "on".
    await claimNewUnits(scheduler, ["b1", "b2"], now);
    const session = await pool.connect();
    try {
      expect(await synchronousCommit(session)).toBe("on");
    } finally {
      session.release();
    }
  });
});
