import { defineTask, type ListOptions, ValidationError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const LIST_PAGES_TESTS = [
  "pagesByCursor",
  "neverRepeatsOrSkipsUnderInserts",
  "filtersByCreatedRange",
] as const;

/** Keyset (cursor) pagination of `listExecutions` and its created time range. */
export const listPagesSuite = defineSuite("list-pages", LIST_PAGES_TESTS, (h, test) => {
  const waits = defineTask({
    name: "waits",
    async run(ctx) {
      return ctx.waitForEvent("go");
    },
  });
  const other = defineTask({
    name: "other",
    async run(ctx) {
      return ctx.waitForEvent("go");
    },
  });

  describe("keyset pages", () => {
    test("pagesByCursor", "walks every execution once, newest first, ties by id, with filters", async () => {
      const env = await h.env(waits, other);
      // Three instants with several executions each: pages must split ties correctly.
      const created: string[][] = [];
      for (let t = 0; t < 3; t++) {
        const ids = ["d", "a", "c", "b"].map((s) => `t${t}-${s}`);
        for (const [i, id] of ids.entries()) await env.durable.start(id, i % 2 ? "other" : "waits", null);
        created.unshift(ids.sort());
        env.clock.advance("1s");
      }
      const expected = created.flat();
      const walk = async (options: ListOptions) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await env.durable.listExecutionsPage({ ...options, ...(cursor ? { cursor } : {}) });
          seen.push(...page.executions.map((s) => s.executionId));
          cursor = page.nextCursor;
          if (cursor === undefined) return seen;
        }
        throw new Error("more pages than executions");
      };
      for (const limit of [1, 3, 4, 5, 12, 100]) expect(await walk({ limit })).toEqual(expected);
      const ofOther = expected.filter((id) => id.endsWith("-a") || id.endsWith("-b"));
      expect(await walk({ limit: 2, taskName: "other" })).toEqual(ofOther);
      expect(await walk({ limit: 5, status: "pending", taskName: "other" })).toEqual(ofOther);
      const last = await env.durable.listExecutionsPage({ limit: 12 });
      expect(last.nextCursor).toBeUndefined();
      await expect(env.durable.listExecutionsPage({ cursor: "nonsense" })).rejects.toBeInstanceOf(
        ValidationError,
      );
      const first = await env.durable.listExecutionsPage({ limit: 1 });
      await expect(
        env.durable.listExecutionsPage({ cursor: first.nextCursor as string, offset: 1 }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    test(
      "neverRepeatsOrSkipsUnderInserts",
      "pages never repeat or skip a row while executions are started concurrently",
      async () => {
        const env = await h.env(waits);
        const before: string[] = [];
        for (let i = 0; i < 24; i++) {
          const id = `old-${String(i).padStart(2, "0")}`;
          await env.durable.start(id, "waits", null);
          before.push(id);
          if (i % 3 === 2) env.clock.advance("1ms");
        }
        const seen: string[] = [];
        let cursor: string | undefined;
        let n = 0;
        for (;;) {
          // Each page races fresh starts, some at the same instant as the newest rows.
          const [page] = await Promise.all([
            env.durable.listExecutionsPage({ limit: 5, ...(cursor ? { cursor } : {}) }),
            ...[0, 1, 2].map(() => env.durable.start(`new-${n++}`, "waits", null)),
          ]);
          seen.push(...page.executions.map((s) => s.executionId));
          cursor = page.nextCursor;
          if (cursor === undefined) break;
          if (n % 2 === 0) env.clock.advance("1ms");
        }
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of before) expect(seen).toContain(id);
      },
    );

    test(
      "filtersByCreatedRange",
      "selects [createdAfter, createdBefore) with and without other filters",
      async () => {
        const env = await h.env(waits, other);
        const t0 = env.clock.now();
        for (let i = 0; i < 5; i++) {
          await env.durable.start(`e${i}`, i % 2 ? "other" : "waits", null);
          env.clock.advance("1s");
        }
        const at = (s: number) => new Date(t0.getTime() + s * 1000);
        const ids = async (options: ListOptions) =>
          (await env.durable.listExecutions(options)).map((s) => s.executionId);
        expect(await ids({ createdAfter: at(1), createdBefore: at(4) })).toEqual(["e3", "e2", "e1"]);
        expect(await ids({ createdAfter: at(3) })).toEqual(["e4", "e3"]);
        expect(await ids({ createdBefore: at(1) })).toEqual(["e0"]);
        expect(await ids({ createdAfter: at(1), taskName: "other" })).toEqual(["e3", "e1"]);
        expect(await ids({ createdAfter: at(2), status: "pending", taskName: "waits" })).toEqual([
          "e4",
          "e2",
        ]);
        const page = await env.durable.listExecutionsPage({ createdBefore: at(4), limit: 2 });
        expect(page.executions.map((s) => s.executionId)).toEqual(["e3", "e2"]);
        const rest = await env.durable.listExecutionsPage({
          createdBefore: at(4),
          limit: 2,
          cursor: page.nextCursor as string,
        });
        expect(rest.executions.map((s) => s.executionId)).toEqual(["e1", "e0"]);
        await expect(env.durable.listExecutions({ createdAfter: new Date("x") })).rejects.toBeInstanceOf(
          ValidationError,
        );
      },
    );
  });
});
