import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimNewUnits, completedStep } from "@zart/conformance";
import { LeaseLostError, ManualClock } from "@zart/core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SqliteScheduler } from "../src/index.js";

/**
 * The worker's hot writes made in one turn of the event loop share one `BEGIN IMMEDIATE`
 * transaction, each in a savepoint of its own (`WriteBatch`): still fenced and failed one by one.
 */

const directory = mkdtempSync(join(tmpdir(), "zart-sqlite-batch-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const clock = new ManualClock();
const now = () => clock.now();
let scheduler: SqliteScheduler;
let file = 0;

beforeEach(async () => {
  scheduler = new SqliteScheduler({ path: join(directory, `batch-${++file}.db`), clock });
  await scheduler.migrate();
  return () => scheduler.close();
});

const claimNew = (ids: string[]) => claimNewUnits(scheduler, ids, now());
const step = (position: number, result: string) => completedStep(position, result, now());

/** Frames in the WAL file after a `TRUNCATE` checkpoint emptied it: each commit appends its own. */
function walFrames(): number {
  const [row] = scheduler.database.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
  return row!.log;
}

describe("batched hot writes (SQLite)", () => {
  it("fences each write of a turn on its own and commits the turn's writes together", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `e${String(i).padStart(3, "0")}`);
    const units = await claimNew(ids);
    // Every 4th execution was taken over by another claimer: its token is stale.
    const stale = new Set(ids.filter((_, i) => i % 4 === 0));
    const retake = scheduler.database.prepare(
      "UPDATE zart_executions SET lease_token = 'other' WHERE execution_id = ?",
    );
    for (const id of stale) retake.run(id);
    scheduler.database.pragma("wal_checkpoint(TRUNCATE)");

    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        scheduler.saveStep(units.get(id)!.lease, step(0, `"r${i}"`), { data: `{"n":${i}}` }, now()),
      ),
    );

    // One commit wrote each touched page once: far fewer frames than one commit per write.
    expect(walFrames()).toBeLessThan(ids.length / 4);
    for (const [i, id] of ids.entries()) {
      const outcome = outcomes[i]!;
      if (stale.has(id)) {
        expect(outcome.status, id).toBe("rejected");
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
      } else {
        expect(outcome.status, id).toBe("fulfilled");
      }
    }
    for (const [i, id] of ids.entries()) {
      const details = await scheduler.getExecution(id);
      if (stale.has(id)) {
        expect(details?.steps, id).toEqual([]);
        expect(details?.execution.data, id).toBeUndefined();
      } else {
        expect(
          details?.steps.map((s) => s.result),
          id,
        ).toEqual([`"r${i}"`]);
        expect(details?.execution.data, id).toBe(`{"n":${i}}`);
      }
    }
  });

  it("fails only the write the database rejects, keeping the rest of its turn", async () => {
    const units = await claimNew(["a", "b", "c"]);
    // The database refuses b's step row, after b's fence already patched its execution row.
    scheduler.database.exec(`CREATE TRIGGER refuse_b BEFORE INSERT ON zart_steps WHEN NEW.execution_id = 'b'
      BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END`);
    const outcomes = await Promise.allSettled(
      ["a", "b", "c"].map((id) =>
        scheduler.saveStep(units.get(id)!.lease, step(0, "1"), { data: `"${id}"` }, now()),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain("refused by a trigger");
    for (const id of ["a", "c"]) expect((await scheduler.getExecution(id))?.execution.data).toBe(`"${id}"`);
    // b's savepoint was rolled back whole: its patch did not stay.
    expect((await scheduler.getExecution("b"))?.execution.data).toBeUndefined();
    expect((await scheduler.getExecution("b"))?.steps).toEqual([]);
  });
});
