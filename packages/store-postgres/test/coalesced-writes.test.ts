import { randomUUID } from "node:crypto";
import { claimNewUnits, completedStep } from "@zart/conformance";
import { LeaseLostError, ManualClock, silentLogger } from "@zart/core";
import type { StepWrite } from "@zart/core/store";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, truncate, useTestDatabase } from "./support/test-database.js";

/**
 * Concurrent step writes and completions of one scheduler are coalesced into one statement per
 * batch (`fenced-writes`): each write is still fenced on its own.
 */

const LEASE_MS = 60_000;

/** A real pool that counts the executions of each named statement. */
class CountingPool extends pg.Pool {
  readonly counts = new Map<string, number>();

  override query(...args: unknown[]): never {
    const name = (args[0] as { name?: unknown } | undefined)?.name;
    if (typeof name === "string") this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/**
 * A real pool whose next executions of one statement follow a script: "commit, then drop" (it
 * runs, then the caller hears a dropped connection: outcome unknown) or "deadlock" (refused, not run).
 */
class ScriptedPool extends pg.Pool {
  readonly script: ("commit-then-drop" | "deadlock")[] = [];
  statement = "";

  override query(...args: unknown[]): never {
    const name = (args[0] as { name?: unknown } | undefined)?.name;
    const next = name === this.statement ? this.script.shift() : undefined;
    if (next === "deadlock") {
      return Promise.reject(Object.assign(new Error("deadlock detected"), { code: "40P01" })) as never;
    }
    const result = (super.query as (...a: unknown[]) => Promise<unknown>)(...args);
    if (next === undefined) return result as never;
    return result.then(() => {
      throw new Error("Connection terminated unexpectedly");
    }) as never;
  }
}

let db: TestDatabase;
let pool: CountingPool;
let scheduler: PostgresScheduler;
const clock = new ManualClock();
const now = () => clock.now();

beforeAll(async () => {
  db = await useTestDatabase("coalesce", inject("zartPostgresUrl"));
  pool = new CountingPool({ connectionString: db.url, max: 6 });
  scheduler = new PostgresScheduler({ pool, schema: db.schema, clock });
  await scheduler.migrate();
});

beforeEach(async () => {
  await truncate(db.admin, db.schema);
  pool.counts.clear();
});

afterAll(async () => {
  await scheduler?.close();
  await pool?.end();
  await db?.dispose();
});

const statementsOf = (name: string) => pool.counts.get(`${db.schema}:${name}`) ?? 0;

const claimNew = (ids: string[]) => claimNewUnits(scheduler, ids, now(), LEASE_MS);
const step = (position: number, result: string) => completedStep(position, result, now());

describe("coalesced step writes", () => {
  it("fences each write of a batch on its own: right successes and LeaseLostErrors", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `e${String(i).padStart(3, "0")}`);
    const units = await claimNew(ids);
    // Every 5th execution was taken over by another claimer (its token is stale), every 7th was
    // cancelled (no lease at all); the rest hold their lease.
    const stale = new Set(ids.filter((_, i) => i % 5 === 0));
    const cancelled = new Set(ids.filter((_, i) => i % 7 === 0 && i % 5 !== 0));
    await db.admin.query(
      `UPDATE "${db.schema}".executions SET lease_token = $2 WHERE execution_id = ANY($1)`,
      [[...stale], randomUUID()],
    );
    for (const id of cancelled) await scheduler.cancelExecution(id, now());

    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        scheduler.saveStep(units.get(id)!.lease, step(0, `"r${i}"`), { data: `{"n":${i}}` }, now()),
      ),
    );

    for (const [i, id] of ids.entries()) {
      const outcome = outcomes[i]!;
      if (stale.has(id) || cancelled.has(id)) {
        expect(outcome.status, id).toBe("rejected");
        const error = (outcome as PromiseRejectedResult).reason;
        expect(error).toBeInstanceOf(LeaseLostError);
        expect((error as LeaseLostError).message).toContain(id);
      } else {
        expect(outcome.status, id).toBe("fulfilled");
      }
    }
    // Coalesced: 150 writes in a few statements (at most 64 per batch), not 150.
    expect(statementsOf("fenced-writes")).toBeGreaterThanOrEqual(3);
    expect(statementsOf("fenced-writes")).toBeLessThanOrEqual(6);

    const { rows } = await db.admin.query<{ execution_id: string; result: string; data: string | null }>(
      `SELECT s.execution_id, s.result, e.data FROM "${db.schema}".steps s
       JOIN "${db.schema}".executions e USING (execution_id) ORDER BY s.execution_id`,
    );
    const written = ids.filter((id) => !stale.has(id) && !cancelled.has(id));
    expect(rows.map((row) => row.execution_id)).toEqual(written);
    for (const row of rows) {
      const i = Number(row.execution_id.slice(1));
      expect(row.result).toBe(`"r${i}"`);
      expect(row.data).toBe(`{"n":${i}}`);
    }
  });

  it("applies two writes of one execution in flight at once in call order", async () => {
    const ids = ["a", "b", "c"];
    const units = await claimNew(ids);
    const writes: Promise<void>[] = [];
    for (const id of ids) {
      const lease = units.get(id)!.lease;
      // Concurrent ctx.step calls of one execution: two positions, and the same position twice.
      writes.push(scheduler.saveStep(lease, step(0, '"first"'), { data: '"d1"' }, now()));
      writes.push(scheduler.saveStep(lease, step(1, '"one"'), { data: '"d2"' }, now()));
      writes.push(scheduler.saveStep(lease, step(0, '"second"'), { data: '"d3"' }, now()));
    }
    await Promise.all(writes);
    // One execution's writes never share a batch: three batches, each with one write of each.
    expect(statementsOf("fenced-writes")).toBe(3);
    for (const id of ids) {
      const details = await scheduler.getExecution(id);
      expect(details?.steps.map((s) => [s.position, s.result])).toEqual([
        [0, '"second"'],
        [1, '"one"'],
      ]);
      expect(details?.execution.data).toBe('"d3"');
    }
  });

  it("fails only the write the database rejects, not the rest of its batch", async () => {
    const ids = ["a", "b", "c", "d"];
    const units = await claimNew(ids);
    const outcomes = await Promise.allSettled(
      ids.map((id) =>
        scheduler.saveStep(
          units.get(id)!.lease,
          // The steps table checks its kinds: "bogus" is refused.
          id === "c" ? { ...step(0, "1"), kind: "bogus" as StepWrite["kind"] } : step(0, "1"),
          {},
          now(),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[2] as PromiseRejectedResult).reason).not.toBeInstanceOf(LeaseLostError);
    for (const id of ["a", "b", "d"]) expect((await scheduler.getExecution(id))?.steps).toHaveLength(1);
  });

  it("re-sends a refused batch write by write, remembering an earlier unknown outcome", async () => {
    const units = await claimNew(["a", "b"]);
    const scripted = new ScriptedPool({ connectionString: db.url, max: 2 });
    scripted.statement = `${db.schema}:fenced-writes`;
    const other = new PostgresScheduler({ pool: scripted, schema: db.schema, clock, logger: silentLogger });
    try {
      // The batch commits but the caller hears a dropped connection; its retry is refused (a
      // deadlock); each write is then sent alone. The completion matches no lease any more: its
      // first attempt committed (released_by), so it is done, not LeaseLostError.
      scripted.script.push("commit-then-drop", "deadlock");
      await Promise.all([
        other.completeExecution(units.get("a")!.lease, { result: '"r"' }, {}, now()),
        other.saveStep(units.get("b")!.lease, step(0, '"s"'), {}, now()),
      ]);
      expect(scripted.script).toEqual([]);
      expect((await scheduler.getExecution("a"))?.execution.status).toBe("completed");
      expect((await scheduler.getExecution("b"))?.steps.map((s) => s.result)).toEqual(['"s"']);
      // Without an unknown outcome before it, a refused batch still reports a lost lease as lost.
      const [c] = [...(await claimNew(["c"])).values()];
      await scheduler.completeExecution(c!.lease, {}, {}, now());
      scripted.script.push("deadlock");
      const outcomes = await Promise.allSettled([
        other.completeExecution(c!.lease, {}, {}, now()),
        other.saveStep(units.get("b")!.lease, step(1, '"t"'), {}, now()),
      ]);
      expect(outcomes[0]!.status).toBe("rejected");
      expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
      expect(outcomes[1]!.status).toBe("fulfilled");
    } finally {
      await other.close();
      await scripted.end();
    }
  });

  it("never deadlocks batches that lock the same executions in opposite orders", async () => {
    // Two schedulers on separate pools (two processes) writing the same 20 executions, with the
    // same tokens, in opposite call orders: each batch locks its rows in execution-id order. The
    // pools join by index as on a large table (on this tiny one a seq scan would hide the order).
    const ids = Array.from({ length: 20 }, (_, i) => `x${String(i).padStart(2, "0")}`);
    const units = await claimNew(ids);
    const planned = () =>
      new CountingPool({ connectionString: db.url, max: 2, options: "-c enable_seqscan=off" });
    const pools = [planned(), planned()];
    const rounds = 30;
    const [one, other] = pools.map((p) => new PostgresScheduler({ pool: p, schema: db.schema, clock }));
    try {
      for (let round = 0; round < rounds; round++) {
        const forward = ids.map((id) => one!.saveStep(units.get(id)!.lease, step(0, `${round}`), {}, now()));
        const backward = [...ids]
          .reverse()
          .map((id) => other!.saveStep(units.get(id)!.lease, step(0, `${round}`), {}, now()));
        await Promise.all([...forward, ...backward]);
      }
    } finally {
      await one!.close();
      await other!.close();
      for (const p of pools) await p.end();
    }
    // One statement per batch: a deadlock would have failed a batch, and its writes been re-sent
    // one by one.
    const sent = pools.map((p) => p.counts.get(`${db.schema}:fenced-writes`));
    expect(sent).toEqual([rounds, rounds]);
  });
});

describe("coalesced completions", () => {
  it("sends step writes and completions of several executions in one statement", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(2, "0")}`);
    const units = await claimNew(ids);
    const stale = new Set(ids.filter((_, i) => i % 6 === 0));
    await db.admin.query(
      `UPDATE "${db.schema}".executions SET lease_token = $2 WHERE execution_id = ANY($1)`,
      [[...stale], randomUUID()],
    );
    const completing = (i: number) => i % 2 === 1;
    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        completing(i)
          ? scheduler.completeExecution(
              units.get(id)!.lease,
              { result: `"done${i}"` },
              { data: '"c"' },
              now(),
            )
          : scheduler.saveStep(units.get(id)!.lease, step(0, `"s${i}"`), { data: '"s"' }, now()),
      ),
    );
    expect(statementsOf("fenced-writes")).toBe(1);
    for (const [i, id] of ids.entries()) {
      expect(outcomes[i]!.status, id).toBe(stale.has(id) ? "rejected" : "fulfilled");
      const { execution, steps } = (await scheduler.getExecution(id))!;
      if (stale.has(id)) {
        expect((outcomes[i] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
        expect([execution.status, execution.data, steps]).toEqual(["running", undefined, []]);
      } else if (completing(i)) {
        expect([execution.status, execution.result, execution.data, steps]).toEqual([
          "completed",
          `"done${i}"`,
          '"c"',
          [],
        ]);
      } else {
        expect([execution.status, execution.data, steps.map((s) => s.result)]).toEqual([
          "running",
          '"s"',
          [`"s${i}"`],
        ]);
      }
    }
  });

  it("commits a step write and the completion of one execution in call order", async () => {
    const units = await claimNew(["a", "b"]);
    const writes = ["a", "b"].flatMap((id) => {
      const lease = units.get(id)!.lease;
      // The completion is called while the step write is still in flight.
      return [
        scheduler.saveStep(lease, step(0, '"last"'), { data: '"d1"' }, now()),
        scheduler.completeExecution(lease, { result: '"r"' }, { data: '"d2"' }, now()),
      ];
    });
    await Promise.all(writes);
    expect(statementsOf("fenced-writes")).toBe(2);
    for (const id of ["a", "b"]) {
      const { execution, steps } = (await scheduler.getExecution(id))!;
      expect([execution.status, execution.result, execution.data]).toEqual(["completed", '"r"', '"d2"']);
      expect(steps.map((s) => s.result)).toEqual(['"last"']);
    }
  });

  it("fences each completion of a batch on its own", async () => {
    const ids = Array.from({ length: 80 }, (_, i) => `e${String(i).padStart(2, "0")}`);
    const units = await claimNew(ids);
    const stale = new Set(ids.filter((_, i) => i % 4 === 1));
    await db.admin.query(
      `UPDATE "${db.schema}".executions SET lease_token = $2 WHERE execution_id = ANY($1)`,
      [[...stale], randomUUID()],
    );
    const outcomes = await Promise.allSettled(
      ids.map((id, i) => scheduler.completeExecution(units.get(id)!.lease, { result: `${i}` }, {}, now())),
    );
    for (const [i, id] of ids.entries()) {
      expect(outcomes[i]!.status, id).toBe(stale.has(id) ? "rejected" : "fulfilled");
      if (stale.has(id)) expect((outcomes[i] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
      const { execution } = (await scheduler.getExecution(id))!;
      expect(execution.status).toBe(stale.has(id) ? "running" : "completed");
      if (!stale.has(id)) {
        expect(execution.result).toBe(`${i}`);
        expect(execution.completedAt).toEqual(now());
      }
    }
    expect(statementsOf("fenced-writes")).toBeGreaterThanOrEqual(2);
    expect(statementsOf("fenced-writes")).toBeLessThanOrEqual(4);
    // A completed execution's lease is gone: completing it again is a lost lease.
    const done = units.get(ids[0]!)!.lease;
    await expect(scheduler.completeExecution(done, {}, {}, now())).rejects.toBeInstanceOf(LeaseLostError);
  });
});
