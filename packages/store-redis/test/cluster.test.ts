import { DurableScheduler, defineTask, ManualClock, silentLogger, TaskRegistry, Worker } from "@zart/core";
import type { ClaimedWork } from "@zart/core/store";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisScheduler } from "../src/index.js";
import {
  redisCliInstalled,
  redisServerInstalled,
  startRedisCluster,
  type TestRedisCluster,
} from "./redis-server.js";

/**
 * The store on a real three-primary Redis Cluster: every script touches keys of one slot only (the
 * prefix's hash tag), so it runs unchanged; separate prefixes land in separate slots.
 */
describe.skipIf(!redisServerInstalled || !redisCliInstalled)("Redis Cluster", () => {
  let cluster: TestRedisCluster;
  const clients: Cluster[] = [];
  const newClient = () => {
    const client = new Cluster(cluster.nodes);
    clients.push(client);
    return client;
  };

  /** Waits until some node of the cluster has a subscriber on `channel`. */
  const subscribed = async (channel: string) => {
    for (;;) {
      const counts = await Promise.all(
        cluster.nodes.map(async ({ host, port }) => {
          const node = new Redis(port, host);
          try {
            const [, count] = (await node.pubsub("NUMSUB", channel)) as [string, number];
            return Number(count);
          } finally {
            node.disconnect();
          }
        }),
      );
      if (counts.some((count) => count > 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.stop();
  });

  it("runs children, pushed events, lists and purges under several prefixes (several slots)", async () => {
    const task = defineTask({
      name: "tour",
      async run(ctx) {
        const handles = ["a", "b", "c"].map((name) => ctx.scheduleStep(name, async () => name));
        const children = await ctx.waitAll(handles);
        const event = await ctx.waitForEvent("go", { timeout: "30s" });
        return { children, event };
      },
    });
    const client = newClient();
    const slots = new Set<number>();
    for (const prefix of ["zart:", "tenant-b:", "tenant-c:"]) {
      const scheduler = new RedisScheduler({ client, prefix, logger: silentLogger });
      // The event comes from another "process": its own Cluster client and scheduler.
      const sender = new RedisScheduler({ client: newClient(), prefix, logger: silentLogger });
      const worker = new Worker({
        scheduler,
        registry: new TaskRegistry().register(task),
        logger: silentLogger,
        pollInterval: "1h",
      });
      try {
        await scheduler.migrate();
        await worker.start();
        // Push is the only way to wake this worker (it polls hourly): let its subscriber subscribe.
        await subscribed(scheduler.keys.channel);
        const durable = new DurableScheduler(scheduler);
        await durable.start("x1", "tour", null);
        const remote = new DurableScheduler(sender);
        for (;;) {
          const status = await remote.status("x1");
          if (status.status === "waiting" && status.steps.some((s) => s.kind === "event")) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await remote.offerEvent("x1", "go", 7);
        expect(await durable.waitCompletion("x1", { timeout: "10s", pollInterval: 10 })).toEqual({
          children: ["a", "b", "c"],
          event: 7,
        });
        expect((await durable.listExecutions({ status: "completed" })).map((s) => s.executionId)).toEqual([
          "x1",
        ]);
        expect(await durable.purge({ olderThan: new Date(Date.now() + 60_000) })).toBe(1);
        slots.add(Number(await client.cluster("KEYSLOT", scheduler.keys.due)));
      } finally {
        await worker.stop();
        await scheduler.close();
        await sender.close();
      }
    }
    expect(slots.size).toBeGreaterThan(1);
  });

  it("hands each due execution to exactly one of several claimers", async () => {
    const clock = new ManualClock();
    const schedulers = Array.from(
      { length: 4 },
      () => new RedisScheduler({ client: newClient(), prefix: "claims:", clock, logger: silentLogger }),
    );
    try {
      const now = clock.now();
      for (let i = 0; i < 40; i++) {
        await schedulers[0]!.createExecution(
          { executionId: `e${i}`, taskName: "t", payload: "1", runAt: now },
          now,
        );
      }
      const claimed: ClaimedWork[] = [];
      await Promise.all(
        schedulers.map(async (scheduler, i) => {
          for (;;) {
            const work = await scheduler.claim({
              workerId: `w${i}`,
              taskNames: ["t"],
              limit: 3,
              leaseMs: 30_000,
              now,
            });
            if (work.length === 0) return;
            claimed.push(...work);
          }
        }),
      );
      const ids = claimed.map((w) => w.lease.executionId);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    } finally {
      await Promise.all(schedulers.map((scheduler) => scheduler.close()));
    }
  });
});
