import { type EventWaitOutcome, ManualClock, type SerializedError } from "@zart/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, truncate, useTestDatabase } from "./support/test-database.js";

/** Races that only a real database can lose: each one runs the competing calls truly in parallel. */

const LEASE_MS = 30_000;
const TIMEOUT: SerializedError = { name: "EventTimeoutError", message: "no event", code: "EVENT_TIMEOUT" };

let db: TestDatabase;
const open: PostgresScheduler[] = [];
const clock = new ManualClock();

beforeAll(async () => {
  db = await useTestDatabase("race", inject("zartPostgresUrl"));
  await newScheduler().migrate();
});

beforeEach(async () => {
  await truncate(db.admin, db.schema);
});

afterEach(async () => {
  for (const scheduler of open.splice(1)) await scheduler.close();
});

afterAll(async () => {
  for (const scheduler of open.splice(0)) await scheduler.close();
  await db?.dispose();
});

/** A scheduler with a pool of its own (as another process would have). */
function newScheduler(): PostgresScheduler {
  const scheduler = new PostgresScheduler({
    connectionString: db.url,
    schema: db.schema,
    clock,
    poolSize: 4,
  });
  open.push(scheduler);
  return scheduler;
}

const now = () => clock.now();

/** Claims up to `limit` units of task "t" now, with the usual lease. */
function claimFor(scheduler: PostgresScheduler, workerId: string, limit: number) {
  return scheduler.claim({ workerId, taskNames: ["t"], limit, leaseMs: LEASE_MS, now: now() });
}

async function start(scheduler: PostgresScheduler, ids: string[]): Promise<void> {
  for (const executionId of ids) {
    await scheduler.createExecution({ executionId, taskName: "t", payload: "null", runAt: now() }, now());
  }
}

describe("claim", () => {
  it("hands every due unit to exactly one of 8 claimers racing on separate pools", async () => {
    const client = open[0]!;
    const ids = Array.from({ length: 150 }, (_, i) => `e${i}`);
    await start(client, ids);
    // Ten of them fan out into 5 children each: 50 more units, claimable once their parent parked.
    const parents = await claimFor(client, "setup", 10);
    for (const unit of parents) {
      const children = [0, 1, 2, 3, 4].map((position) => ({ position, name: `c${position}` }));
      expect(await client.dispatchChildren(unit.lease, { children }, {}, now())).toEqual({ suspended: true });
    }
    const claimers = Array.from({ length: 8 }, () => newScheduler());
    const claimed: string[] = [];
    await Promise.all(
      claimers.map(async (scheduler, i) => {
        for (;;) {
          const work = await claimFor(scheduler, `w${i}`, 3);
          if (work.length === 0) return;
          for (const unit of work)
            claimed.push(`${unit.lease.executionId}/${unit.lease.childPosition ?? "-"}`);
        }
      }),
    );
    expect(claimed).toHaveLength(140 + 50);
    expect(new Set(claimed).size).toBe(claimed.length);
  });
});

describe("takeover", () => {
  it("hands the new holder every step the old holder committed before the takeover", async () => {
    const client = open[0]!;
    const oldHolder = newScheduler();
    const claimer = newScheduler();
    // Widens the race window: 2,000 executions due earlier, row-locked by another transaction,
    // which the claim skips one by one after taking its snapshot and before reaching the one
    // raced for, so the old holder's write often commits in between.
    const past = new Date(now().getTime() - 60_000);
    await db.admin.query(
      `INSERT INTO ${db.schema}.executions (execution_id, task_name, payload, status, run_at, scheduled_at, created_at)
       SELECT 'skip' || g, 't', 'null', 'pending', $1, $1, $1 FROM generate_series(1, 2000) g`,
      [past],
    );
    const locker = await db.admin.connect();
    await locker.query("BEGIN");
    await locker.query(`SELECT 1 FROM ${db.schema}.executions WHERE execution_id LIKE 'skip%' FOR UPDATE`);
    let raced = 0;
    for (let i = 0; i < 200; i++) {
      const executionId = `t${i}`;
      await start(client, [executionId]);
      const [old] = await oldHolder.claim({
        workerId: "old",
        taskNames: ["t"],
        limit: 1,
        leaseMs: 1_000,
        now: now(),
      });
      const later = new Date(now().getTime() + 2_000);
      const step = {
        position: 0,
        name: "s0",
        kind: "step" as const,
        status: "completed" as const,
        attempts: 1,
      };
      const [saved, claimed] = await Promise.allSettled([
        oldHolder.saveStep(old!.lease, { ...step, result: `"${i}"` }, {}, later),
        claimer.claim({ workerId: "new", taskNames: ["t"], limit: 1, leaseMs: 60_000, now: later }),
      ]);
      if (claimed.status === "rejected") throw claimed.reason;
      const unit = claimed.value.find((u) => u.lease.executionId === executionId);
      if (saved.status === "fulfilled" && unit !== undefined) {
        // The old holder's write committed before the takeover: the new holder must see it.
        raced++;
        expect(unit.steps.map((s) => s.result)).toEqual([`"${i}"`]);
      }
      await client.cancelExecution(executionId, now());
    }
    await locker.query("ROLLBACK");
    locker.release();
    expect(raced).toBeGreaterThan(0);
  });
});

describe("events", () => {
  /** Runs a wait on `e1` while an "offer" in flight (its event appended, offered at `offeredAt`) holds the row lock. */
  async function waitBehindOffer(deadline: Date | undefined, offeredAt: Date): Promise<EventWaitOutcome> {
    const scheduler = open[0]!;
    await start(scheduler, ["e1"]);
    const [unit] = await claimFor(scheduler, "w", 1);
    const offer = await db.admin.connect();
    try {
      await offer.query("BEGIN");
      await offer.query(
        `UPDATE "${db.schema}".executions SET event_count = event_count + 1 WHERE execution_id = 'e1'`,
      );
      await offer.query(
        `INSERT INTO "${db.schema}".events (execution_id, sequence, event_name, payload, offered_at)
         VALUES ('e1', 1, 'go', '"late"', $1)`,
        [offeredAt],
      );
      const wait = scheduler.awaitEvent(
        unit!.lease,
        { position: 0, stepName: "go", eventName: "go", deadline, wakeAt: deadline, timeoutError: TIMEOUT },
        {},
        now(),
      );
      await waitForLockWaiters(1);
      await offer.query("COMMIT");
      return await wait;
    } finally {
      offer.release();
    }
  }

  it("never loses an offer that commits while the wait waits for the row lock", async () => {
    // The wait's snapshot predates the offer; it must notice and look again instead of parking.
    expect(await waitBehindOffer(undefined, now())).toEqual({ outcome: "received", payload: '"late"' });
    const details = await open[0]!.getExecution("e1");
    expect(details?.execution.status).toBe("running");
    expect(details?.events[0]?.consumedAt).toEqual(now());
  });

  it("gives a wait past its deadline an offer made by then that commits while it waits for the lock", async () => {
    const deadline = new Date(now().getTime() - 1_000);
    expect(await waitBehindOffer(deadline, deadline)).toEqual({ outcome: "received", payload: '"late"' });
  });

  it("times out a wait past its deadline behind an offer made after it, leaving the event queued", async () => {
    const deadline = new Date(now().getTime() - 1_000);
    expect(await waitBehindOffer(deadline, now())).toEqual({ outcome: "timeout" });
    const details = await open[0]!.getExecution("e1");
    expect(details?.steps[0]).toMatchObject({ status: "failed", error: TIMEOUT });
    expect(details?.events[0]?.consumedAt).toBeUndefined();
  });

  it("accepts one of 10 concurrent offers with the same idempotency key", async () => {
    const client = open[0]!;
    await start(client, ["e1"]);
    const offerers = Array.from({ length: 10 }, () => newScheduler());
    const outcomes = await Promise.all(
      offerers.map((scheduler, i) =>
        scheduler.offerEvent(
          { executionId: "e1", eventName: "go", payload: String(i), idempotencyKey: "k" },
          now(),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "delivered")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
    expect((await client.getExecution("e1"))?.events).toHaveLength(1);
  });

  it("answers a parked wait with exactly one of 10 concurrent offers of one idempotency key", async () => {
    const client = open[0]!;
    await start(client, ["e1"]);
    const [unit] = await claimFor(client, "w", 1);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    expect(await client.awaitEvent(unit!.lease, wait, {}, now())).toEqual({ outcome: "suspended" });
    const offerers = Array.from({ length: 10 }, () => newScheduler());
    const outcomes = await Promise.all(
      offerers.map((scheduler, i) =>
        scheduler.offerEvent(
          { executionId: "e1", eventName: "go", payload: String(i), idempotencyKey: "k" },
          now(),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "delivered")).toHaveLength(1);
    const details = await client.getExecution("e1");
    expect(details?.events).toHaveLength(1);
    expect(details?.events[0]?.consumedAt).toEqual(now());
    expect(details?.steps[0]).toMatchObject({ status: "completed", result: details?.events[0]?.payload });
    expect(details?.execution.status).toBe("pending");
  });

  /**
   * Holds the execution row's lock in another transaction, starts an offer (its snapshot is taken
   * at once; it then waits for the lock), applies `change` and commits it: the offer then runs on a
   * snapshot that predates `change`.
   */
  async function offerBehind(
    scheduler: PostgresScheduler,
    change: string[],
    offered: { idempotencyKey?: string; expected?: "delivered" | "duplicate" } = {},
  ): Promise<void> {
    const { idempotencyKey, expected = "delivered" } = offered;
    const other = await db.admin.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "${db.schema}".executions WHERE execution_id = 'e1' FOR UPDATE`);
      const offer = scheduler.offerEvent(
        { executionId: "e1", eventName: "go", payload: '"x"', ...(idempotencyKey ? { idempotencyKey } : {}) },
        now(),
      );
      await waitForLockWaiters(1);
      for (const statement of change) await other.query(statement, [now()]);
      await other.query("COMMIT");
      expect(await offer).toBe(expected);
    } finally {
      other.release();
    }
  }

  it("wakes (without answering) a wait that parked while the offer waited for the row lock", async () => {
    const scheduler = open[0]!;
    await start(scheduler, ["e1"]);
    await claimFor(scheduler, "w", 1);
    // A park committing behind the offer's snapshot: the wait's step is not in that snapshot.
    await offerBehind(scheduler, [
      `INSERT INTO "${db.schema}".steps (execution_id, position, name, kind, status, attempts, started_at)
       VALUES ('e1', 0, 'go', 'event', 'waiting', 1, $1)`,
      `UPDATE "${db.schema}".executions SET status = 'waiting', wait_reason = 'event', wait_event = 'go',
       run_at = NULL, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
       WHERE execution_id = 'e1' AND $1::timestamptz IS NOT NULL`,
    ]);
    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toMatchObject({ status: "pending", runAt: now() });
    expect(details?.steps[0]?.status).toBe("waiting");
    expect(details?.events[0]?.consumedAt).toBeUndefined();
    // The replayed wait consumes it: one outcome.
    const [unit] = await claimFor(scheduler, "w", 1);
    expect(unit?.steps[0]?.status).toBe("waiting");
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    expect(await scheduler.awaitEvent(unit!.lease, wait, {}, now())).toEqual({
      outcome: "received",
      payload: '"x"',
    });
  });

  it("never marks the event consumed when the wait its snapshot saw was decided meanwhile", async () => {
    const scheduler = open[0]!;
    await start(scheduler, ["e1"]);
    const [unit] = await claimFor(scheduler, "w", 1);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    await scheduler.awaitEvent(unit!.lease, wait, {}, now());
    // Behind the offer's snapshot, that wait is decided and a new wait on the same name parks.
    await offerBehind(scheduler, [
      `UPDATE "${db.schema}".steps SET status = 'failed', completed_at = $1
       WHERE execution_id = 'e1' AND position = 0`,
      `INSERT INTO "${db.schema}".steps (execution_id, position, name, kind, status, attempts, started_at)
       VALUES ('e1', 1, 'go#1', 'event', 'waiting', 1, $1)`,
    ]);
    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toMatchObject({ status: "pending", runAt: now() });
    expect(details?.steps.map((s) => s.status)).toEqual(["failed", "waiting"]);
    expect(details?.events[0]?.consumedAt).toBeUndefined();
  });

  it("answers nothing when its idempotency key was accepted behind its snapshot", async () => {
    const scheduler = open[0]!;
    await start(scheduler, ["e1"]);
    const [unit] = await claimFor(scheduler, "w", 1);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    await scheduler.awaitEvent(unit!.lease, wait, {}, now());
    const before = await scheduler.getExecution("e1");
    // Behind the offer's snapshot, an offer of another name takes the same key (and parks nothing).
    await offerBehind(
      scheduler,
      [
        `INSERT INTO "${db.schema}".events (execution_id, sequence, event_name, payload, idempotency_key, offered_at)
         VALUES ('e1', 1, 'other', '"o"', 'k', $1)`,
        `UPDATE "${db.schema}".executions SET event_count = 1 WHERE execution_id = 'e1' AND $1::timestamptz IS NOT NULL`,
      ],
      { idempotencyKey: "k", expected: "duplicate" },
    );
    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toEqual(before?.execution);
    expect(details?.steps).toEqual(before?.steps);
    expect(details?.events.map((e) => [e.eventName, e.consumedAt])).toEqual([["other", undefined]]);
  });

  it("numbers concurrent offers 1..n without gaps, in commit order", async () => {
    const client = open[0]!;
    await start(client, ["e1"]);
    const offerers = Array.from({ length: 6 }, () => newScheduler());
    await Promise.all(
      offerers.flatMap((scheduler, i) =>
        [0, 1, 2, 3, 4].map((j) =>
          scheduler.offerEvent({ executionId: "e1", eventName: "go", payload: `${i}.${j}` }, now()),
        ),
      ),
    );
    const events = (await client.getExecution("e1"))?.events ?? [];
    expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});

describe("parallel children", () => {
  it("wakes the parent exactly once when its last two children settle at the same time (50x)", async () => {
    const client = open[0]!;
    const settlers = [newScheduler(), newScheduler()];
    const woken: string[] = [];
    const listener = newScheduler();
    listener.subscribe((wake) => {
      if (wake.reason === "child") woken.push(wake.executionId);
    });
    const ids = Array.from({ length: 50 }, (_, i) => `p${i}`);
    await start(client, ids);
    const parents = await claimFor(client, "w", 50);
    for (const unit of parents) {
      const children = [0, 1].map((position) => ({ position, name: `c${position}` }));
      await client.dispatchChildren(unit.lease, { children }, {}, now());
    }
    const units = await claimFor(client, "w", 100);
    expect(units).toHaveLength(100);
    await Promise.all(
      units.map((unit, i) => {
        if (unit.kind !== "child") throw new Error("expected children");
        return settlers[i % 2]!.settleChild(
          unit.lease,
          { status: "completed", result: "1", attempts: 1 },
          now(),
        );
      }),
    );
    const { rows } = await db.admin.query<{ status: string; unsettled_children: number }>(
      `SELECT status, unsettled_children FROM "${db.schema}".executions`,
    );
    expect(rows.every((row) => row.status === "pending" && row.unsettled_children === 0)).toBe(true);
    await until(() => woken.length >= 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken.sort()).toEqual([...ids].sort());
  });

  it("never deadlocks a cancel against settling children", async () => {
    const client = open[0]!;
    const other = newScheduler();
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await start(client, ids);
    for (const unit of await claimFor(client, "w", 20)) {
      const children = [0, 1, 2].map((position) => ({ position, name: `c${position}` }));
      await client.dispatchChildren(unit.lease, { children }, {}, now());
    }
    const units = await claimFor(client, "w", 60);
    const settled = await Promise.allSettled([
      ...units.map((unit) =>
        unit.kind === "child"
          ? client.settleChild(unit.lease, { status: "completed", attempts: 1 }, now())
          : Promise.resolve(),
      ),
      ...ids.map((id) => other.cancelExecution(id, now())),
    ]);
    const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as Error] : []));
    // A settle that lost to the cancel is fenced off; nothing else may fail (no 40P01 deadlock).
    expect(failures.every((error) => error.name === "LeaseLostError")).toBe(true);
    const { rows } = await db.admin.query<{ status: string }>(
      `SELECT status FROM "${db.schema}".steps WHERE status NOT IN ('completed', 'cancelled')`,
    );
    expect(rows).toEqual([]);
  });
});

/** Resolves once `count` sessions of the test schema wait for a lock. */
async function waitForLockWaiters(count: number): Promise<void> {
  await until(async () => {
    const { rows } = await db.admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%"${db.schema}"%`],
    );
    return (rows[0]?.n ?? 0) >= count;
  });
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > giveUp) throw new Error("gave up waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
