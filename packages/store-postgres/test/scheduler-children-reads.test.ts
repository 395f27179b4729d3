import { ExecutionNotFoundError, LeaseLostError, type StepWrite } from "@zart/core";
import { describe, expect, it } from "vitest";
import { BOOM, flush, LEASE_MS, recordWakeUps, useVerbTests } from "./support/verb-tests.js";

/**
 * The contract verb by verb on PostgreSQL — parallel children, terminal verbs, reads, stored
 * bytes — with the same cases as the memory store's unit tests.
 */

const setup = useVerbTests("verbs2");

describe("parallel children", () => {
  const children = [0, 1, 2].map((position) => ({ position, name: `child-${position}` }));

  it("parks the parent and wakes it exactly once, when the last child settles", async () => {
    const { scheduler, start, claimOne, claim, now, details } = setup();
    const wakes = recordWakeUps(scheduler);
    await start("p");
    const parent = await claimOne();
    expect(await scheduler.dispatchChildren(parent.lease, { children }, {}, now())).toEqual({
      suspended: true,
    });
    expect((await details("p")).execution).toMatchObject({ status: "waiting", waitReason: "children" });

    const claimed = await claim("w", 10);
    expect(claimed.map((w) => w.kind)).toEqual(["child", "child", "child"]);
    expect(new Set(claimed.map((w) => w.lease.token)).size).toBe(3);
    for (const [i, work] of claimed.entries()) {
      if (work.kind !== "child") throw new Error("expected a child");
      expect(work.child).toMatchObject({ kind: "parallel", status: "running" });
      await scheduler.settleChild(work.lease, { status: "completed", result: String(i), attempts: 1 }, now());
      const status = (await details("p")).execution.status;
      expect(status).toBe(i < 2 ? "waiting" : "pending");
    }
    await flush();
    expect(wakes.filter((w) => w.reason === "child")).toEqual([{ reason: "child", executionId: "p" }]);

    const replay = await claimOne();
    const outcome = await scheduler.dispatchChildren(replay.lease, { children }, {}, now());
    expect(outcome.suspended).toBe(false);
    if (!outcome.suspended) expect(outcome.children.map((c) => c.result)).toEqual(["0", "1", "2"]);
    expect((await details("p")).execution).toMatchObject({ status: "running" });
  });

  it("lets another worker take over an expired child and fences the first one", async () => {
    const { clock, scheduler, start, claimOne, now, details } = setup();
    await start("p");
    const parent = await claimOne();
    await scheduler.dispatchChildren(parent.lease, { children: children.slice(0, 1) }, {}, now());
    const first = await claimOne("w1");
    clock.advance(LEASE_MS);
    const second = await claimOne("w2");
    expect(second.kind).toBe("child");
    if (first.kind !== "child" || second.kind !== "child") throw new Error("expected children");
    await expect(
      scheduler.settleChild(first.lease, { status: "completed", result: "1", attempts: 1 }, now()),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await scheduler.settleChild(second.lease, { status: "failed", error: BOOM, attempts: 2 }, now());
    expect((await details("p")).steps[0]).toMatchObject({ status: "failed", error: BOOM, attempts: 2 });
  });

  it("cancels unsettled children when the parent fails or is cancelled", async () => {
    const { scheduler, start, claim, now, details } = setup();
    await start("a");
    await start("b");
    for (const { lease } of await claim("w", 2))
      await scheduler.dispatchChildren(lease, { children }, {}, now());
    const running = await claim("w", 1);
    await scheduler.cancelExecution("a", now());
    expect((await details("a")).steps.map((s) => s.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    const [work] = running;
    if (work?.kind !== "child") throw new Error("expected a child");
    await expect(
      scheduler.settleChild(work.lease, { status: "completed", attempts: 1 }, now()),
    ).rejects.toThrow(LeaseLostError);
    expect((await claim()).every((w) => w.lease.executionId === "b")).toBe(true);
  });
});

describe("terminal verbs", () => {
  it("retryExecution deletes every step that is not completed and schedules the next attempt", async () => {
    const { clock, scheduler, start, claimOne, claim, step, now, details } = setup();
    const wakes = recordWakeUps(scheduler);
    await start("e1");
    const { lease } = await claimOne();
    await scheduler.saveStep(lease, step(0), {}, now());
    await scheduler.saveStep(lease, step(1, "failed"), {}, now());
    const runAt = new Date(now().getTime() + 5_000);
    await scheduler.retryExecution(lease, { error: BOOM, runAt }, { data: '{"k":1}' }, now());

    const { execution, steps } = await details("e1");
    expect(execution).toMatchObject({ status: "pending", attempt: 1, error: BOOM, runAt, data: '{"k":1}' });
    expect(execution.leaseOwner).toBeUndefined();
    expect(steps.map((s) => s.position)).toEqual([0]);
    await expect(scheduler.saveStep(lease, step(2), {}, now())).rejects.toBeInstanceOf(LeaseLostError);
    expect(await claim()).toEqual([]);
    clock.advance("5s");
    expect((await claimOne()).execution.attempt).toBe(1);
    await flush();
    expect(wakes.map((w) => w.reason)).toEqual(["created", "retry"]);
  });

  it("cancelExecution returns false once terminal and throws for an unknown id", async () => {
    const { scheduler, start, now, details } = setup();
    await start("e1");
    expect(await scheduler.cancelExecution("e1", now())).toBe(true);
    expect((await details("e1")).execution).toMatchObject({ status: "cancelled", completedAt: now() });
    expect(await scheduler.cancelExecution("e1", now())).toBe(false);
    await expect(scheduler.cancelExecution("nope", now())).rejects.toBeInstanceOf(ExecutionNotFoundError);
  });

  it("suspend parks the execution until its wake time", async () => {
    const { clock, scheduler, start, claimOne, claim, now, details } = setup();
    await start("e1");
    const { lease } = await claimOne();
    const wakeAt = new Date(now().getTime() + 86_400_000);
    const sleep: StepWrite = {
      position: 0,
      name: "nap",
      kind: "sleep",
      status: "waiting",
      attempts: 0,
      wakeAt,
    };
    await scheduler.suspend(lease, { step: sleep, wakeAt, reason: "sleep" }, {}, now());
    expect((await details("e1")).execution).toMatchObject({
      status: "waiting",
      waitReason: "sleep",
      runAt: wakeAt,
    });
    expect(await claim()).toEqual([]);
    clock.advance("24h");
    expect((await claimOne()).steps[0]).toMatchObject({ kind: "sleep", wakeAt });
  });
});

describe("reads", () => {
  it("lists newest first, then by id, filtered and paginated", async () => {
    const { clock, scheduler, start } = setup();
    await start("b");
    await start("a");
    clock.advance("1s");
    await start("c");
    await scheduler.createExecution(
      { executionId: "d", taskName: "other", payload: "1", runAt: clock.now() },
      clock.now(),
    );
    const ids = async (filter: { status?: "pending"; taskName?: string; limit?: number; offset?: number }) =>
      (await scheduler.listExecutions({ limit: 10, offset: 0, ...filter })).map(
        (d) => d.execution.executionId,
      );
    expect(await ids({})).toEqual(["c", "d", "a", "b"]);
    expect(await ids({ limit: 2, offset: 1 })).toEqual(["d", "a"]);
    expect(await ids({ taskName: "task", status: "pending" })).toEqual(["c", "a", "b"]);
  });

  it("purges terminal executions completed before the cutoff, by status", async () => {
    const { clock, scheduler, start, claimOne, now } = setup();
    await start("done");
    const { lease } = await claimOne();
    await start("cancelled");
    await start("live");
    await scheduler.completeExecution(lease, { result: "1" }, {}, now());
    await scheduler.cancelExecution("cancelled", now());
    const cutoff = clock.advance("1s");
    expect(await scheduler.purge({ olderThan: cutoff, statuses: ["failed"] })).toBe(0);
    expect(await scheduler.purge({ olderThan: new Date(cutoff.getTime() - 2_000) })).toBe(0);
    expect(await scheduler.purge({ olderThan: cutoff, statuses: ["completed"] })).toBe(1);
    expect(await scheduler.purge({ olderThan: cutoff })).toBe(1);
    expect(await scheduler.getExecution("done")).toBeUndefined();
    expect(await scheduler.getExecution("live")).toBeDefined();
  });
});

describe("stored bytes", () => {
  it("returns JSON text exactly as written: escapes, emoji, big numbers, null", async () => {
    const { scheduler, claimOne, now, details } = setup();
    const texts = [
      '{"s":"\\ud800 lone surrogate, escaped","e":"\\u0000","emoji":"\u{1F680}","n":12345678901234567890}',
      "null",
      '""',
      "[]",
      '{"b":1,"a":2}',
    ];
    await scheduler.createExecution(
      { executionId: "e\u{1F680}", taskName: "task", payload: texts[0]!, runAt: now() },
      now(),
    );
    const { lease } = await claimOne();
    for (const [position, result] of texts.entries()) {
      await scheduler.saveStep(
        lease,
        { position, name: `s${position}`, kind: "step", status: "completed", result, attempts: 1 },
        { data: texts[4]! },
        now(),
      );
    }
    await scheduler.offerEvent({ executionId: "e\u{1F680}", eventName: "go", payload: texts[0]! }, now());
    const read = await details("e\u{1F680}");
    expect(read.execution.payload).toBe(texts[0]);
    expect(read.execution.data).toBe(texts[4]);
    expect(read.steps.map((step) => step.result)).toEqual(texts);
    expect(read.events[0]?.payload).toBe(texts[0]);
  });
});
