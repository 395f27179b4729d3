import { describe, expect, it } from "vitest";
import { until, useRaceEnv } from "./support/race-env.js";

/** Races that only a real database can lose: each one runs the competing calls truly in parallel. */

const env = useRaceEnv("race");
const { newScheduler, now, claimFor, start } = env;

describe("claim", () => {
  it("hands every due unit to exactly one of 8 claimers racing on separate pools", async () => {
    const client = env.open[0]!;
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
            claimed.push(
              `${unit.lease.executionId}/${unit.kind === "child" ? unit.lease.childPosition : "-"}`,
            );
        }
      }),
    );
    expect(claimed).toHaveLength(140 + 50);
    expect(new Set(claimed).size).toBe(claimed.length);
  });
});

describe("takeover", () => {
  it("hands the new holder every step the old holder committed before the takeover", async () => {
    const client = env.open[0]!;
    const oldHolder = newScheduler();
    const claimer = newScheduler();
    // Widens the race window: 2,000 executions due earlier, row-locked by another transaction,
    // which the claim skips one by one after taking its snapshot and before reaching the one
    // raced for, so the old holder's write often commits in between.
    const past = new Date(now().getTime() - 60_000);
    await env.db.admin.query(
      `INSERT INTO ${env.db.schema}.executions (execution_id, task_name, payload, status, run_at, scheduled_at, created_at)
       SELECT 'skip' || g, 't', 'null', 'pending', $1, $1, $1 FROM generate_series(1, 2000) g`,
      [past],
    );
    const locker = await env.db.admin.connect();
    await locker.query("BEGIN");
    await locker.query(
      `SELECT 1 FROM ${env.db.schema}.executions WHERE execution_id LIKE 'skip%' FOR UPDATE`,
    );
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

describe("parallel children", () => {
  it("wakes the parent exactly once when its last two children settle at the same time (50x)", async () => {
    const client = env.open[0]!;
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
    const { rows } = await env.db.admin.query<{ status: string; unsettled_children: number }>(
      `SELECT status, unsettled_children FROM "${env.db.schema}".executions`,
    );
    expect(rows.every((row) => row.status === "pending" && row.unsettled_children === 0)).toBe(true);
    await until(() => woken.length >= 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken.sort()).toEqual([...ids].sort());
  });

  it("never deadlocks a cancel against settling children", async () => {
    const client = env.open[0]!;
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
    const { rows } = await env.db.admin.query<{ status: string }>(
      `SELECT status FROM "${env.db.schema}".steps WHERE status NOT IN ('completed', 'cancelled')`,
    );
    expect(rows).toEqual([]);
  });
});
