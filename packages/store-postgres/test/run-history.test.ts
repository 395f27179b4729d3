import { silentLogger } from "@zart/core";
import type { Lease } from "@zart/core/store";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

/**
 * Run history on the start paths the conformance suite does not reach: a child execution started
 * again under a finished id, and a start in the caller's transaction (archived iff it commits).
 */

let db: TestDatabase;
let scheduler: PostgresScheduler;
let app: pg.Pool;
const now = new Date("2030-01-01T00:00:00Z");

beforeAll(async () => {
  db = await useTestDatabase("runs", inject("zartPostgresUrl"));
  scheduler = new PostgresScheduler({ connectionString: db.url, schema: db.schema, logger: silentLogger });
  await scheduler.migrate();
  app = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await app?.end();
  await scheduler?.close();
  await db?.dispose();
});

async function claimOne(taskName: string): Promise<Lease> {
  const [unit] = await scheduler.claim({
    workerId: "w",
    taskNames: [taskName],
    limit: 1,
    leaseMs: 60_000,
    now,
  });
  if (unit === undefined) throw new Error(`nothing of ${taskName} to claim`);
  return unit.lease;
}

async function finished(executionId: string, result: string): Promise<void> {
  await scheduler.createExecution({ executionId, taskName: "solo", payload: "null", runAt: now }, now);
  await scheduler.completeExecution(await claimOne("solo"), { result }, {}, now);
}

describe("run history", () => {
  it("archives a finished child execution that its parent starts again, in the same transaction", async () => {
    await scheduler.createExecution(
      { executionId: "p", taskName: "parent", payload: "null", runAt: now },
      now,
    );
    const parent = await claimOne("parent");
    const child = { childId: "c", taskName: "child", payload: '"x"', detached: true };
    await scheduler.startChildExecution(parent, { ...child, position: 0, stepName: "first" }, {}, now);
    await scheduler.completeExecution(await claimOne("child"), { result: '"one"' }, {}, now);

    await scheduler.startChildExecution(parent, { ...child, position: 1, stepName: "again" }, {}, now);

    expect((await scheduler.listRuns("c")).map((r) => [r.run, r.status])).toEqual([
      [2, "pending"],
      [1, "completed"],
    ]);
    expect((await scheduler.getExecution("c"))?.execution).toMatchObject({ run: 2, status: "pending" });
    expect((await scheduler.getRun("c", 1))?.execution).toMatchObject({
      run: 1,
      status: "completed",
      result: '"one"',
      parentId: "p",
    });
  });

  it("archives a finished execution replaced in the caller's transaction only if it commits", async () => {
    await finished("t", '"one"');
    const start = { executionId: "t", taskName: "solo", payload: '"two"', runAt: now };
    for (const end of ["ROLLBACK", "COMMIT"] as const) {
      const client = await app.connect();
      try {
        await client.query("BEGIN");
        expect(await scheduler.createExecutionInTransaction(client, start, now)).toMatchObject({ run: 2 });
        await client.query(end);
      } finally {
        client.release();
      }
      const runs = (await scheduler.listRuns("t")).map((r) => [r.run, r.status]);
      if (end === "ROLLBACK") expect(runs).toEqual([[1, "completed"]]);
      else
        expect(runs).toEqual([
          [2, "pending"],
          [1, "completed"],
        ]);
    }
    expect(await scheduler.getRun("t", 1)).toMatchObject({
      execution: { run: 1, result: '"one"' },
      steps: [],
    });
  });
});
