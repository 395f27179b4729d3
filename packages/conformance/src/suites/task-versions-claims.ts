import { defineTask } from "@zart/core";
import type { ClaimRequest } from "@zart/core/store";
import { expect } from "vitest";
import type { SuiteTest } from "../define-suite.js";
import type { Harness } from "../harness.js";

export const V1 = "2026-01-01";
export const V2 = "2026-12-01";

const LEASE_MS = 30_000;

/** The claim filter of the task-versions suite, at the store's `claim`: exact pairs, races, children. */
export function claimTests(
  h: Harness,
  test: SuiteTest<"claimFiltersOnVersion" | "racingClaimersOwnVersion" | "childrenFollowTheirTask">,
): void {
  test("claimFiltersOnVersion", "claims an execution only for its exact (task, version)", async () => {
    const env = await h.env();
    const { scheduler, clock } = env;
    const now = clock.now();
    await scheduler.createExecution(
      { executionId: "v", taskName: "t", payload: "null", runAt: now, version: V1 },
      now,
    );
    await scheduler.createExecution({ executionId: "u", taskName: "t", payload: "null", runAt: now }, now);
    const claim = (filter: Pick<ClaimRequest, "taskNames" | "taskVersions">) =>
      scheduler.claim({ workerId: "w", ...filter, limit: 5, leaseMs: LEASE_MS, now: clock.now() });
    expect(await claim({ taskNames: [], taskVersions: [{ taskName: "t", version: V2 }] })).toEqual([]);
    expect(await claim({ taskNames: [], taskVersions: [{ taskName: "other", version: V1 }] })).toEqual([]);
    const [versioned, ...more] = await claim({
      taskNames: [],
      taskVersions: [{ taskName: "t", version: V1 }],
    });
    expect(more).toEqual([]);
    expect(versioned?.execution).toMatchObject({ executionId: "v", version: V1, status: "running" });
    const [plain, ...rest] = await claim({
      taskNames: ["t"],
      taskVersions: [{ taskName: "t", version: V1 }],
    });
    expect(rest).toEqual([]);
    expect(plain?.execution.executionId).toBe("u");
    expect(plain?.execution.version).toBeUndefined();
    expect((await scheduler.getExecution("v"))?.execution.version).toBe(V1);
  });

  test(
    "racingClaimersOwnVersion",
    "hands each execution once, under racing claimers, and only to claimers of its version",
    async () => {
      const env = await h.env();
      const { scheduler, clock } = env;
      const now = clock.now();
      const versions = [undefined, V1, V2];
      for (let i = 0; i < 30; i++) {
        const version = versions[i % 3];
        await scheduler.createExecution(
          {
            executionId: `e${i}`,
            taskName: "t",
            payload: "null",
            runAt: now,
            ...(version ? { version } : {}),
          },
          now,
        );
      }
      const claimers = Array.from({ length: 9 }, (_, i) => {
        const version = versions[i % 3];
        const filter = version
          ? { taskNames: [], taskVersions: [{ taskName: "t", version }] }
          : { taskNames: ["t"] };
        return scheduler.claim({ workerId: `w${i}`, ...filter, limit: 4, leaseMs: LEASE_MS, now });
      });
      const raced = (await Promise.all(claimers)).map((work, i) => ({ work, version: versions[i % 3] }));
      // Then drain what the race left, one claimer per version.
      for (const version of versions) {
        const filter = version
          ? { taskNames: [], taskVersions: [{ taskName: "t", version }] }
          : { taskNames: ["t"] };
        const work = await scheduler.claim({
          workerId: "drain",
          ...filter,
          limit: 30,
          leaseMs: LEASE_MS,
          now,
        });
        raced.push({ work, version });
      }
      const claimed = raced.flatMap(({ work, version }) => work.map((unit) => ({ unit, version })));
      const ids = claimed.map(({ unit }) => unit.execution.executionId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(30);
      for (const { unit, version } of claimed) expect(unit.execution.version).toBe(version);
    },
  );

  test(
    "childrenFollowTheirTask",
    "hands parallel children only to workers of their execution's version; child executions record their task's",
    async () => {
      const child = defineTask({ name: "child", version: V2, run: async () => "child" });
      const parent = defineTask({
        name: "parent",
        version: V1,
        async run(ctx) {
          const parts = await ctx.waitAll([ctx.scheduleStep("p0", () => 0), ctx.scheduleStep("p1", () => 1)]);
          const handle = await ctx.startChild("child", null);
          return [...parts, await ctx.waitForChild(handle)];
        },
      });
      const env = await h.env(parent, child);
      const { scheduler, clock } = env;
      await env.durable.start("p", "parent", null);
      const claim = (filter: Pick<ClaimRequest, "taskNames" | "taskVersions">) =>
        scheduler.claim({ workerId: "w", ...filter, limit: 5, leaseMs: LEASE_MS, now: clock.now() });
      const mine = { taskNames: [], taskVersions: [{ taskName: "parent", version: V1 }] };
      const [unit] = await claim(mine);
      const children = [
        { position: 0, name: "p0" },
        { position: 1, name: "p1" },
      ];
      await scheduler.dispatchChildren(unit!.lease, { children }, {}, clock.now());
      expect(
        await claim({ taskNames: ["parent"], taskVersions: [{ taskName: "parent", version: V2 }] }),
      ).toEqual([]);
      expect((await claim(mine)).map((work) => [work.kind, work.execution.version])).toEqual([
        ["child", V1],
        ["child", V1],
      ]);
      clock.advance(LEASE_MS + 1);
      await env.run();
      expect(await env.durable.status("p")).toMatchObject({ status: "completed", result: [0, 1, "child"] });
      const [started] = await env.durable.listExecutions({ parentId: "p" });
      expect(started).toMatchObject({ name: "child", version: V2, status: "completed" });
    },
  );
}
