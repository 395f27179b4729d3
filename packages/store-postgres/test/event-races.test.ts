import type { EventWaitOutcome, SerializedError } from "@zart/core/store";
import { describe, expect, it } from "vitest";
import type { PostgresScheduler } from "../src/index.js";
import { useRaceEnv } from "./support/race-env.js";

/** Event races only a real database can lose: offers, waits and timeouts truly in parallel. */

const TIMEOUT: SerializedError = { name: "EventTimeoutError", message: "no event", code: "EVENT_TIMEOUT" };

const env = useRaceEnv("event_race");
const { newScheduler, now, claimFor, start, waitForLockWaiters } = env;

/** Ten schedulers (ten pools) offer "go" to `e1` at once, all with idempotency key "k". */
function offerFromTenSchedulers() {
  return Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      newScheduler().offerEvent(
        { executionId: "e1", eventName: "go", payload: String(i), idempotencyKey: "k" },
        now(),
      ),
    ),
  );
}

describe("events", () => {
  /** Runs a wait on `e1` while an "offer" in flight (its event appended, offered at `offeredAt`) holds the row lock. */
  async function waitBehindOffer(deadline: Date | undefined, offeredAt: Date): Promise<EventWaitOutcome> {
    const scheduler = env.open[0]!;
    await start(scheduler, ["e1"]);
    const [unit] = await claimFor(scheduler, "w", 1);
    const offer = await env.db.admin.connect();
    try {
      await offer.query("BEGIN");
      await offer.query(
        `UPDATE "${env.db.schema}".executions SET event_count = event_count + 1 WHERE execution_id = 'e1'`,
      );
      await offer.query(
        `INSERT INTO "${env.db.schema}".events (execution_id, sequence, event_name, payload, offered_at)
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
    const details = await env.open[0]!.getExecution("e1");
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
    const details = await env.open[0]!.getExecution("e1");
    expect(details?.steps[0]).toMatchObject({ status: "failed", error: TIMEOUT });
    expect(details?.events[0]?.consumedAt).toBeUndefined();
  });

  it("accepts one of 10 concurrent offers with the same idempotency key", async () => {
    const client = env.open[0]!;
    await start(client, ["e1"]);
    const outcomes = await offerFromTenSchedulers();
    expect(outcomes.filter((o) => o === "delivered")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
    expect((await client.getExecution("e1"))?.events).toHaveLength(1);
  });

  it("answers a parked wait with exactly one of 10 concurrent offers of one idempotency key", async () => {
    const client = env.open[0]!;
    await start(client, ["e1"]);
    const [unit] = await claimFor(client, "w", 1);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    expect(await client.awaitEvent(unit!.lease, wait, {}, now())).toEqual({ outcome: "suspended" });
    const outcomes = await offerFromTenSchedulers();
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
    const other = await env.db.admin.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT 1 FROM "${env.db.schema}".executions WHERE execution_id = 'e1' FOR UPDATE`);
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
    const scheduler = env.open[0]!;
    await start(scheduler, ["e1"]);
    await claimFor(scheduler, "w", 1);
    // A park committing behind the offer's snapshot: the wait's step is not in that snapshot.
    await offerBehind(scheduler, [
      `INSERT INTO "${env.db.schema}".steps (execution_id, position, name, kind, status, attempts, started_at)
       VALUES ('e1', 0, 'go', 'event', 'waiting', 1, $1)`,
      `UPDATE "${env.db.schema}".executions SET status = 'waiting', wait_reason = 'event', wait_event = 'go',
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
    const scheduler = env.open[0]!;
    await start(scheduler, ["e1"]);
    const [unit] = await claimFor(scheduler, "w", 1);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    await scheduler.awaitEvent(unit!.lease, wait, {}, now());
    // Behind the offer's snapshot, that wait is decided and a new wait on the same name parks.
    await offerBehind(scheduler, [
      `UPDATE "${env.db.schema}".steps SET status = 'failed', completed_at = $1
       WHERE execution_id = 'e1' AND position = 0`,
      `INSERT INTO "${env.db.schema}".steps (execution_id, position, name, kind, status, attempts, started_at)
       VALUES ('e1', 1, 'go#1', 'event', 'waiting', 1, $1)`,
    ]);
    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toMatchObject({ status: "pending", runAt: now() });
    expect(details?.steps.map((s) => s.status)).toEqual(["failed", "waiting"]);
    expect(details?.events[0]?.consumedAt).toBeUndefined();
  });

  it("answers nothing when its idempotency key was accepted behind its snapshot", async () => {
    const scheduler = env.open[0]!;
    await start(scheduler, ["e1"]);
    const [unit] = await claimFor(scheduler, "w", 1);
    const wait = { position: 0, stepName: "go", eventName: "go", timeoutError: TIMEOUT };
    await scheduler.awaitEvent(unit!.lease, wait, {}, now());
    const before = await scheduler.getExecution("e1");
    // Behind the offer's snapshot, an offer of another name takes the same key (and parks nothing).
    await offerBehind(
      scheduler,
      [
        `INSERT INTO "${env.db.schema}".events (execution_id, sequence, event_name, payload, idempotency_key, offered_at)
         VALUES ('e1', 1, 'other', '"o"', 'k', $1)`,
        `UPDATE "${env.db.schema}".executions SET event_count = 1 WHERE execution_id = 'e1' AND $1::timestamptz IS NOT NULL`,
      ],
      { idempotencyKey: "k", expected: "duplicate" },
    );
    const details = await scheduler.getExecution("e1");
    expect(details?.execution).toEqual(before?.execution);
    expect(details?.steps).toEqual(before?.steps);
    expect(details?.events.map((e) => [e.eventName, e.consumedAt])).toEqual([["other", undefined]]);
  });

  it("numbers concurrent offers 1..n without gaps, in commit order", async () => {
    const client = env.open[0]!;
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
