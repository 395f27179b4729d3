import { DurableScheduler, defineTask, NonRetryableError, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const OPERATOR_BULK_TESTS = [
  "dryRunChangesNothing",
  "cancelsAndPausesByFilter",
  "racingBulkRetriesChangeEachOnce",
] as const;

/** `DurableScheduler.bulk`: one operator action over a filter, each execution through its own verb. */
export const operatorBulkSuite = defineSuite("operator-bulk", OPERATOR_BULK_TESTS, (h, test) => {
  const waits = defineTask({
    name: "waits",
    async run(ctx) {
      return ctx.waitForEvent("go");
    },
  });
  const fails = defineTask({
    name: "fails",
    async run() {
      throw new NonRetryableError("no");
    },
  });

  describe("bulk actions", () => {
    test("dryRunChangesNothing", "a dry run counts what would change and writes nothing", async () => {
      const env = await h.env(waits, fails);
      for (let i = 0; i < 3; i++) await env.durable.start(`w${i}`, "waits", null);
      for (let i = 0; i < 2; i++) await env.durable.start(`f${i}`, "fails", null);
      await env.run();
      const statuses = async () => (await env.durable.listExecutions()).map((s) => [s.executionId, s.status]);
      const before = await statuses();
      expect(await env.durable.bulk("retry", { taskName: "fails" }, { dryRun: true })).toEqual({
        matched: 2,
        changed: 2,
        skipped: 0,
        skippedReasons: {},
      });
      expect(await env.durable.bulk("cancel", { createdBefore: env.clock.now() }, { dryRun: true })).toEqual({
        matched: 0,
        changed: 0,
        skipped: 0,
        skippedReasons: {},
      });
      env.clock.advance("1ms");
      expect(await env.durable.bulk("resume", { status: "waiting" }, { dryRun: true })).toEqual({
        matched: 3,
        changed: 0,
        skipped: 3,
        skippedReasons: { EXECUTION_NOT_PAUSED: 3 },
      });
      expect(await statuses()).toEqual(before);
      await expect(env.durable.bulk("cancel", {})).rejects.toBeInstanceOf(ValidationError);
      await expect(env.durable.bulk("explode" as "cancel", { status: "failed" })).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await statuses()).toEqual(before);
    });

    test(
      "cancelsAndPausesByFilter",
      "pauses, resumes and cancels exactly the filtered executions",
      async () => {
        const env = await h.env(waits, fails);
        const t0 = env.clock.now();
        for (let i = 0; i < 4; i++) {
          await env.durable.start(`w${i}`, "waits", null);
          env.clock.advance("1s");
        }
        await env.durable.start("f0", "fails", null);
        await env.run();
        const recent = { taskName: "waits", createdAfter: new Date(t0.getTime() + 2000) };
        expect(await env.durable.bulk("pause", recent)).toMatchObject({ matched: 2, changed: 2, skipped: 0 });
        expect(await env.durable.bulk("pause", { taskName: "waits" })).toEqual({
          matched: 4,
          changed: 2,
          skipped: 2,
          skippedReasons: { ALREADY_PAUSED: 2 },
        });
        expect(
          await env.durable.bulk("resume", {
            status: "paused",
            createdBefore: new Date(t0.getTime() + 1000),
          }),
        ).toMatchObject({ matched: 1, changed: 1 });
        const status = async (id: string) => (await env.durable.status(id)).status;
        expect([await status("w0"), await status("w1"), await status("w2"), await status("w3")]).toEqual([
          "pending",
          "paused",
          "paused",
          "paused",
        ]);
        expect(await env.durable.bulk("cancel", { createdAfter: t0 })).toEqual({
          matched: 5,
          changed: 4,
          skipped: 1,
          skippedReasons: { ALREADY_FINISHED: 1 },
        });
        expect(await status("w2")).toBe("cancelled");
        expect(await status("f0")).toBe("failed");
      },
    );

    test(
      "racingBulkRetriesChangeEachOnce",
      "racing bulk retries from N clients retry each failed execution exactly once",
      async () => {
        const env = await h.env(fails);
        for (let i = 0; i < 12; i++) await env.durable.start(`f${String(i).padStart(2, "0")}`, "fails", null);
        await env.run();
        const clients = [
          env.durable,
          ...(await Promise.all([1, 2, 3].map(async () => new DurableScheduler(await env.newScheduler())))),
        ];
        const results = await Promise.all(clients.map((c) => c.bulk("retry", { status: "failed" })));
        expect(results.reduce((sum, r) => sum + r.changed, 0)).toBe(12);
        for (const r of results) expect(r.changed + r.skipped).toBe(r.matched);
        const after = await env.durable.listExecutions({ taskName: "fails" });
        expect(after.map((s) => s.status)).toEqual(Array(12).fill("pending"));
      },
    );
  });
});
