import {
  type ClaimedWork,
  ExecutionAlreadyExistsError,
  LeaseLostError,
  type StartChildInput,
} from "@zart/core/store";
import { describe, expect } from "vitest";
import type { SuiteTest } from "../../define-suite.js";
import type { Harness } from "../../harness.js";
import { BOOM, flush, ifPush, LEASE_MS, recordWakeUps, verbEnv } from "./support.js";

const RACES = 30;

function child(childId: string, position = 0, detached = false): StartChildInput {
  return { position, stepName: `kid${position}`, childId, taskName: "task", payload: '"in"', detached };
}

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const CHILD_EXECUTION_VERB_TESTS = [
  "startChildWritesBoth",
  "refusesStaleLeaseOrTakenId",
  "crashAfterStartStartsNothing",
  "concurrentStartsCreateOne",
  "awaitChildrenParksParent",
  "settleRacingParkNeverLost",
  "cancelReachesNonDetached",
] as const;

/** The child-execution verbs (startChildExecution, awaitChildExecutions) and the settles that wake a parent. */
export function childExecutionVerbs(
  h: Harness,
  test: SuiteTest<(typeof CHILD_EXECUTION_VERB_TESTS)[number]>,
): void {
  describe("child executions", () => {
    test(
      "startChildWritesBoth",
      "startChildExecution writes the child and the parent's step together, once per position",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("p");
        const parent = await claimOne();
        const step = await scheduler.startChildExecution(parent.lease, child("p/kid"), {}, now());
        expect(step).toMatchObject({
          position: 0,
          name: "kid0",
          kind: "child",
          status: "completed",
          result: '"p/kid"',
        });
        expect((await details("p/kid")).execution).toMatchObject({
          status: "pending",
          taskName: "task",
          payload: '"in"',
          parentId: "p",
          detached: false,
          runAt: now(),
        });
        clock.advance("1s");
        expect(await scheduler.startChildExecution(parent.lease, child("p/other"), {}, now())).toEqual(step);
        expect(await scheduler.getExecution("p/other")).toBeUndefined();
        expect((await details("p")).steps).toEqual([step]);
        const listed = await scheduler.listExecutions({ parentId: "p", limit: 10, offset: 0 });
        expect(listed.map((d) => d.execution.executionId)).toEqual(["p/kid"]);
      },
    );

    test(
      "refusesStaleLeaseOrTakenId",
      "refuses a stale lease and an id in use, writing nothing",
      async () => {
        const { clock, scheduler, start, claimOne, now, details } = await verbEnv(h);
        await start("busy");
        await start("p");
        clock.advance("1s");
        const [busy, parent] = [await claimOne(), await claimOne()];
        expect(busy.execution.executionId).toBe("busy");
        const stale = { ...parent.lease, token: "stale" } as ClaimedWork["lease"];
        await expect(scheduler.startChildExecution(stale, child("p/kid"), {}, now())).rejects.toBeInstanceOf(
          LeaseLostError,
        );
        await expect(
          scheduler.startChildExecution(parent.lease, child("busy"), {}, now()),
        ).rejects.toBeInstanceOf(ExecutionAlreadyExistsError);
        expect(await scheduler.getExecution("p/kid")).toBeUndefined();
        expect((await details("p")).steps).toEqual([]);
        expect((await details("busy")).execution.parentId).toBeUndefined();
      },
    );

    test(
      "crashAfterStartStartsNothing",
      "a crash after the start: the next lease holder finds the step and starts nothing more",
      async () => {
        const { clock, scheduler, start, claimOne, now } = await verbEnv(h);
        await start("p");
        const first = await claimOne("w1");
        await scheduler.startChildExecution(first.lease, child("p/kid"), {}, now());
        clock.advance(LEASE_MS + 1);
        const work = await scheduler.claim({
          workerId: "w2",
          taskNames: ["task"],
          limit: 10,
          leaseMs: LEASE_MS,
          now: now(),
        });
        const second = work.find((w) => w.execution.executionId === "p")!;
        expect(second.steps.map((s) => [s.kind, s.result])).toEqual([["child", '"p/kid"']]);
        expect(work.filter((w) => w.execution.executionId === "p/kid")).toHaveLength(1);
        await scheduler.startChildExecution(second.lease, child("p/kid"), {}, now());
        expect(await scheduler.listExecutions({ parentId: "p", limit: 10, offset: 0 })).toHaveLength(1);
      },
    );

    test(
      "concurrentStartsCreateOne",
      "concurrent identical starts under one lease create one child",
      async () => {
        const { scheduler, start, claimOne, now } = await verbEnv(h);
        await start("p");
        const parent = await claimOne();
        const steps = await Promise.all(
          Array.from({ length: 8 }, () =>
            scheduler.startChildExecution(parent.lease, child("p/kid"), {}, now()),
          ),
        );
        for (const step of steps) expect(step).toEqual(steps[0]);
        expect(await scheduler.listExecutions({ parentId: "p", limit: 10, offset: 0 })).toHaveLength(1);
      },
    );

    test(
      "awaitChildrenParksParent",
      "awaitChildExecutions parks the parent; each way a child settles wakes it exactly once",
      async () => {
        const { clock, scheduler, start, claimOne, claim, now, details } = await verbEnv(h);
        const wakes = recordWakeUps(scheduler);
        await start("p");
        let parent = await claimOne();
        for (const [i, settle] of (["complete", "fail", "cancel"] as const).entries()) {
          const id = `p/kid${i}`;
          await scheduler.startChildExecution(parent.lease, child(id, 2 * i), {}, now());
          const kid = (await claim("wk")).find((w) => w.execution.executionId === id)!;
          const wait = { position: 2 * i + 1, stepName: `wait${i}`, childIds: [id] };
          expect(await scheduler.awaitChildExecutions(parent.lease, wait, {}, now())).toEqual({
            outcome: "suspended",
          });
          expect((await details("p")).execution).toMatchObject({
            status: "waiting",
            waitReason: "child-executions",
          });
          expect((await details("p")).steps[2 * i + 1]).toMatchObject({ kind: "child", status: "waiting" });
          clock.advance("1s");
          if (settle === "complete") await scheduler.completeExecution(kid.lease, { result: "7" }, {}, now());
          if (settle === "fail") await scheduler.failExecution(kid.lease, { error: BOOM }, {}, now());
          if (settle === "cancel") expect(await scheduler.cancelExecution(id, now())).toBe(true);
          expect((await details("p")).execution).toMatchObject({ status: "pending", runAt: now() });
          expect((await details("p")).execution.waitReason).toBeUndefined();
          parent = await claimOne();
          const outcome = await scheduler.awaitChildExecutions(parent.lease, wait, {}, now());
          expect(outcome.outcome === "settled" && outcome.children.map((c) => c.status)).toEqual([
            { complete: "completed", fail: "failed", cancel: "cancelled" }[settle],
          ]);
        }
        await flush();
        expect(wakes.filter((w) => w.reason === "child")).toEqual(
          ifPush(
            scheduler,
            [0, 1, 2].map(() => ({ reason: "child", executionId: "p" })),
          ),
        );
      },
    );

    test(
      "settleRacingParkNeverLost",
      `a child settling while its parent parks never loses the wake-up (${RACES} races)`,
      async () => {
        const { scheduler, start, claim, now, details } = await verbEnv(h);
        for (let i = 0; i < RACES; i++) {
          await start(`p${i}`);
          const parent = (await claim("wp")).find((w) => w.execution.executionId === `p${i}`)!;
          await scheduler.startChildExecution(parent.lease, child(`p${i}/kid`), {}, now());
          const kid = (await claim("wk")).find((w) => w.execution.executionId === `p${i}/kid`)!;
          const wait = { position: 1, stepName: "wait", childIds: [`p${i}/kid`] };
          const [outcome] = await Promise.all([
            scheduler.awaitChildExecutions(parent.lease, wait, {}, now()),
            scheduler.completeExecution(kid.lease, { result: "1" }, {}, now()),
          ]);
          const status = (await details(`p${i}`)).execution.status;
          expect([outcome.outcome, status]).toEqual(
            outcome.outcome === "settled" ? ["settled", "running"] : ["suspended", "pending"],
          );
        }
      },
    );

    test(
      "cancelReachesNonDetached",
      "cancelExecution reaches non-detached descendants, not detached ones",
      async () => {
        const { scheduler, start, claim, claimOne, now, details } = await verbEnv(h);
        await start("r");
        const root = await claimOne();
        await scheduler.startChildExecution(root.lease, child("r/a"), {}, now());
        await scheduler.startChildExecution(root.lease, child("r/free", 1, true), {}, now());
        const a = (await claim()).find((w) => w.execution.executionId === "r/a")!;
        await scheduler.startChildExecution(a.lease, child("r/a/b"), {}, now());
        expect(await scheduler.cancelExecution("r", now())).toBe(true);
        for (const id of ["r", "r/a", "r/a/b"])
          expect((await details(id)).execution.status, id).toBe("cancelled");
        expect((await details("r/free")).execution).toMatchObject({ status: "running", detached: true });
        await expect(scheduler.completeExecution(a.lease, {}, {}, now())).rejects.toBeInstanceOf(
          LeaseLostError,
        );
      },
    );
  });
}
