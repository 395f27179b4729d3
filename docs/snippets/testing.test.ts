// #region test
import {
  DurableScheduler,
  defineTask,
  ManualClock,
  silentLogger,
  TaskRegistry,
  Worker,
} from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const sent: string[] = []; // a fake mailer: the test reads what was sent

const trialReminder = defineTask({
  name: "trial-reminder",
  async run(ctx, user: { email: string; trialEndsAt: string }) {
    await ctx.step("welcome", () => sent.push(`welcome ${user.email}`));
    await ctx.sleep("wait-a-day", "24h");
    await ctx.step("tips", () => sent.push(`tips ${user.email}`));
    await ctx.sleepUntil("wait-for-trial-end", new Date(user.trialEndsAt));
    await ctx.step("trial-ended", () => sent.push(`trial ended ${user.email}`));
  },
});

describe("trial-reminder", () => {
  let clock: ManualClock;
  let scheduler: MemoryScheduler;
  let worker: Worker;
  let durable: DurableScheduler;

  beforeEach(() => {
    sent.length = 0;
    clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
    scheduler = new MemoryScheduler({ clock });
    const registry = new TaskRegistry().register(trialReminder);
    // Not started: the test drives it with runUntilIdle(), so nothing runs
    // behind its back.
    worker = new Worker({ scheduler, registry, logger: silentLogger });
    durable = new DurableScheduler(scheduler, { registry });
  });

  afterEach(async () => {
    await worker.stop();
    await scheduler.close();
  });

  it("sends the tips a day later, without waiting a day", async () => {
    await durable.startFor(trialReminder, "user-1", {
      email: "ann@example.com",
      trialEndsAt: "2030-01-15T00:00:00Z",
    });
    await worker.runUntilIdle(); // runs until the execution sleeps
    expect((await durable.status("user-1")).status).toBe("waiting");
    expect(sent).toEqual(["welcome ann@example.com"]);

    clock.advance("24h"); // time skipping: the sleep is now due
    await worker.runUntilIdle();
    const steps = (await durable.status("user-1")).steps.map((s) => s.name);
    expect(steps).toEqual([
      "welcome",
      "wait-a-day",
      "tips",
      "wait-for-trial-end",
    ]);
    expect(sent).toEqual(["welcome ann@example.com", "tips ann@example.com"]);

    clock.set(new Date("2030-01-15T00:00:00Z"));
    await worker.runUntilIdle();
    expect(await durable.status("user-1")).toMatchObject({
      status: "completed",
    });
    // each step ran once, although the task was replayed three times
    expect(sent).toHaveLength(3);
  });
});
// #endregion test
