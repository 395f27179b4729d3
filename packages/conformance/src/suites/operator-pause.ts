import {
  defineTask,
  ExecutionNotFoundError,
  ExecutionNotPausableError,
  ExecutionNotPausedError,
  LeaseLostError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { flush, ifPush, LEASE_MS, recordWakeUps, verbEnv } from "./verbs/support.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const OPERATOR_PAUSE_TESTS = [
  "holdsPausedAgainstClaimers",
  "pausesRunningExecution",
  "refusesBadPauseOrResume",
  "keepsSleepingExecutionAsleep",
] as const;

/** The operator's `pause` / `resume`: a paused execution is not claimed until it is resumed. */
export const operatorPauseSuite = defineSuite("operator-pause", OPERATOR_PAUSE_TESTS, (h, test) => {
  describe("operator pause and resume", () => {
    test(
      "holdsPausedAgainstClaimers",
      "holds a paused execution against N racing claimers until it is resumed",
      async () => {
        const { env, start, now, details } = await verbEnv(h);
        const wakes = recordWakeUps(env.scheduler);
        await start("e1");
        const paused = await env.scheduler.pauseExecution("e1", now());
        expect(paused).toMatchObject({ status: "paused" });
        expect(paused.runAt).toBeUndefined();
        expect((await details("e1")).execution).toEqual(paused);
        expect(await env.scheduler.pauseExecution("e1", now())).toEqual(paused);
        env.clock.advance("1h");
        const schedulers = [env.scheduler, ...(await Promise.all([1, 2, 3].map(() => env.newScheduler())))];
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            schedulers[i % schedulers.length]!.claim({
              workerId: `w${i}`,
              taskNames: ["task"],
              limit: 10,
              leaseMs: LEASE_MS,
              now: now(),
            }),
          ),
        );
        expect(claims.flat()).toEqual([]);
        await flush();
        wakes.length = 0;

        const resumed = await env.scheduler.resumeExecution("e1", now());
        expect(resumed).toMatchObject({ status: "pending", runAt: now() });
        await flush();
        expect(wakes).toEqual(ifPush(env.scheduler, [{ reason: "resumed", executionId: "e1" }]));
        const work = await env.scheduler.claim({
          workerId: "w9",
          taskNames: ["task"],
          limit: 10,
          leaseMs: LEASE_MS,
          now: now(),
        });
        expect(work.map((w) => w.execution.executionId)).toEqual(["e1"]);
      },
    );

    test(
      "pausesRunningExecution",
      "pauses a running execution: the holder's next write fails, the history is kept",
      async () => {
        const { scheduler, start, claimOne, step, now, details } = await verbEnv(h);
        await start("e1");
        const { lease } = await claimOne();
        await scheduler.saveStep(lease, step(0), {}, now());
        await scheduler.pauseExecution("e1", now());
        await expect(scheduler.saveStep(lease, step(1), {}, now())).rejects.toBeInstanceOf(LeaseLostError);
        const after = await details("e1");
        expect(after.execution.status).toBe("paused");
        expect(after.execution.leaseOwner).toBeUndefined();
        expect(after.steps.map((s) => s.name)).toEqual(["s0"]);
        await scheduler.resumeExecution("e1", now());
        const again = await claimOne("w2");
        expect(again.steps.map((s) => s.name)).toEqual(["s0"]);
      },
    );

    test(
      "refusesBadPauseOrResume",
      "refuses to resume what is not paused and to pause what is finished, changing nothing",
      async () => {
        const { scheduler, start, claimOne, now, details } = await verbEnv(h);
        const refused = (call: Promise<unknown>) => call.catch((e: unknown) => e);
        expect(await refused(scheduler.pauseExecution("nope", now()))).toBeInstanceOf(ExecutionNotFoundError);
        expect(await refused(scheduler.resumeExecution("nope", now()))).toBeInstanceOf(
          ExecutionNotFoundError,
        );
        await start("e1");
        const pending = await details("e1");
        const notPaused = await refused(scheduler.resumeExecution("e1", now()));
        expect(notPaused).toBeInstanceOf(ExecutionNotPausedError);
        expect(notPaused).toMatchObject({ code: "EXECUTION_NOT_PAUSED" });
        expect(await details("e1")).toEqual(pending);
        const { lease } = await claimOne();
        await scheduler.completeExecution(lease, { result: "1" }, {}, now());
        const done = await details("e1");
        const finished = await refused(scheduler.pauseExecution("e1", now()));
        expect(finished).toBeInstanceOf(ExecutionNotPausableError);
        expect(finished).toMatchObject({ code: "EXECUTION_NOT_PAUSABLE" });
        expect(await refused(scheduler.resumeExecution("e1", now()))).toBeInstanceOf(ExecutionNotPausedError);
        expect(await details("e1")).toEqual(done);
      },
    );

    test(
      "keepsSleepingExecutionAsleep",
      "keeps a sleeping execution asleep past its wake time while paused; resumed, it finishes",
      async () => {
        const task = defineTask({
          name: "nap",
          async run(ctx) {
            await ctx.sleep("nap", "1m");
            return "rested";
          },
        });
        const env = await h.env(task);
        await env.durable.start("e1", "nap", null);
        await env.run();
        await env.durable.pause("e1");
        env.clock.advance("2m");
        await env.run();
        expect((await env.durable.status("e1")).status).toBe("paused");
        await env.durable.resume("e1");
        await env.run();
        expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: "rested" });
      },
    );
  });
});
