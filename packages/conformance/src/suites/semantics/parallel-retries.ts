import { defineTask, LeaseLostError, RetryConfig } from "@zart/core";
import type { ClaimedChild } from "@zart/core/store";
import { describe, expect } from "vitest";
import { defineSuite } from "../../define-suite.js";
import { BOOM, verbEnv } from "../verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SEMANTICS_PARALLEL_RETRIES_TESTS = ["parksChildUntilBackoff", "retryChildIsFenced"] as const;

/** Issue 12 item 6: a parallel step's retry backoff is a persisted wake time, not a sleep in the claim. */
export const parallelRetriesSuite = defineSuite(
  "semantics/parallel-retries",
  SEMANTICS_PARALLEL_RETRIES_TESTS,
  (h, test) => {
    describe("parallel step retries", () => {
      test(
        "parksChildUntilBackoff",
        "parks the child until its backoff ends on the injected clock, with the worker slot free",
        async () => {
          let attempts = 0;
          const flaky = defineTask({
            name: "flaky-children",
            async run(ctx) {
              const handle = ctx.scheduleStep(
                "flaky",
                () => {
                  attempts += 1;
                  if (attempts === 1) throw new Error("first attempt fails");
                  return attempts;
                },
                { retry: RetryConfig.fixed(1, "2s") },
              );
              const [result] = await ctx.waitAll([handle]);
              return result;
            },
          });
          const quick = defineTask({ name: "quick", run: async () => "done" });
          const env = await h.env(flaky, quick);
          const worker = env.newWorker({ concurrency: 1 });
          const started = env.clock.now().getTime();
          await env.durable.start("e1", "flaky-children", null);
          await worker.runUntilIdle();
          expect(attempts).toBe(1);
          const parked = await env.durable.status("e1");
          expect(parked.status).toBe("waiting");
          const child = (await env.scheduler.getExecution("e1"))?.steps.find((s) => s.name === "flaky");
          expect(child).toMatchObject({ kind: "parallel", status: "pending", attempts: 1 });
          expect(child?.error?.message).toBe("first attempt fails");
          expect(child?.wakeAt?.getTime()).toBe(started + 2_000);

          // The only slot is free: other work runs while the child waits out its backoff.
          await env.durable.start("e2", "quick", null);
          await worker.runUntilIdle();
          expect((await env.durable.status("e2")).status).toBe("completed");
          expect(attempts).toBe(1);

          env.clock.advance("1999ms");
          await worker.runUntilIdle();
          expect(attempts).toBe(1);

          env.clock.advance("1ms");
          await worker.runUntilIdle();
          expect(attempts).toBe(2);
          const done = await env.durable.status("e1");
          expect(done).toMatchObject({ status: "completed", result: 2 });
        },
      );

      test(
        "retryChildIsFenced",
        "retryChild is fenced and the claim skips the child before its wake time",
        async () => {
          const { clock, scheduler, start, claimOne, claim, now, details } = await verbEnv(h);
          await start("e1");
          const parent = await claimOne();
          await scheduler.dispatchChildren(
            parent.lease,
            { children: [{ position: 0, name: "c" }] },
            {},
            now(),
          );
          const child = (await claimOne()) as ClaimedChild;
          expect(child.kind).toBe("child");
          const wakeAt = new Date(now().getTime() + 5_000);
          const stale = { ...child.lease, token: "not-the-token" };
          await expect(
            scheduler.retryChild(stale, { error: BOOM, attempts: 1, wakeAt }, now()),
          ).rejects.toThrow(LeaseLostError);
          await scheduler.retryChild(child.lease, { error: BOOM, attempts: 1, wakeAt }, now());
          expect((await details("e1")).steps[0]).toMatchObject({
            status: "pending",
            attempts: 1,
            error: BOOM,
            wakeAt,
          });
          // The old holder is fenced off once the child is parked.
          await expect(
            scheduler.retryChild(child.lease, { error: BOOM, attempts: 1, wakeAt }, now()),
          ).rejects.toThrow(LeaseLostError);
          await expect(
            scheduler.settleChild(child.lease, { status: "completed", attempts: 1 }, now()),
          ).rejects.toThrow(LeaseLostError);

          clock.advance("4999ms");
          expect(await claim()).toEqual([]);
          clock.advance("1ms");
          const again = (await claimOne()) as ClaimedChild;
          expect(again.kind).toBe("child");
          expect(again.child).toMatchObject({ position: 0, status: "running", attempts: 1 });
          await scheduler.settleChild(again.lease, { status: "completed", result: "1", attempts: 2 }, now());
          const settled = (await details("e1")).steps[0];
          expect(settled).toMatchObject({ status: "completed", result: "1", attempts: 2 });
          expect(settled?.error).toBeUndefined();
          expect((await details("e1")).execution).toMatchObject({ status: "pending" });
        },
      );
    });
  },
);
