import { DurableScheduler, defineTask, ManualClock, silentLogger, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { afterEach, describe, expect, it } from "vitest";

// Lives here (not in core) because it needs a real store; `@zart/testing` already depends on one.

/** The memory store, recording the claims and the housekeeping reads the worker makes, in order. */
class RecordingStore extends MemoryScheduler {
  readonly reads: string[] = [];

  override claim(...args: Parameters<MemoryScheduler["claim"]>) {
    this.reads.push("claim");
    return super.claim(...args);
  }

  override dueSchedules(...args: Parameters<MemoryScheduler["dueSchedules"]>) {
    this.reads.push("dueSchedules");
    return super.dueSchedules(...args);
  }

  override listPauseRules(...args: Parameters<MemoryScheduler["listPauseRules"]>) {
    this.reads.push("listPauseRules");
    return super.listPauseRules(...args);
  }
}

function recordingStore(): { scheduler: RecordingStore; reads: string[]; clock: ManualClock } {
  const clock = new ManualClock(new Date("2030-01-01T00:00:00Z"));
  const scheduler = new RecordingStore({ clock });
  return { scheduler, reads: scheduler.reads, clock };
}

const echo = defineTask({ name: "echo", run: async (ctx, n: number) => ctx.step("s", () => n) });
const registry = new TaskRegistry().register(echo);
let worker: Worker | undefined;

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe("the worker's polls", () => {
  it("claim at once on a wake-up: schedules and pause rules are read by timer polls only", async () => {
    const { scheduler, reads, clock } = recordingStore();
    const durable = new DurableScheduler(scheduler, { registry });
    worker = new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger });
    await worker.start();
    expect(reads).toEqual(["dueSchedules", "listPauseRules", "claim"]);
    reads.length = 0;
    // Both reads are due again (by the store's clock); the timer poll that does them has not come.
    clock.advance("2h");
    await durable.start("a", "echo", 1);
    await waitFor(() => reads.includes("claim"));
    expect((await durable.wait("a", { timeout: "5s", pollInterval: "5ms" })).result).toBe(1);
    expect(reads.every((read) => read === "claim")).toBe(true);
  });

  it("re-reads the pause rules before the claim a pause-rules wake-up asks for", async () => {
    const { scheduler, reads } = recordingStore();
    worker = new Worker({ scheduler, registry, pollInterval: "1h", logger: silentLogger });
    await worker.start();
    reads.length = 0;
    await scheduler.createPauseRule({ ruleId: "r1", taskName: "echo", createdAt: new Date() });
    await waitFor(() => reads.includes("claim"));
    expect(reads).toEqual(["listPauseRules", "claim"]);
  });

  it("reads schedules and pause rules on each timer poll, whatever the store's clock says", async () => {
    // The store's clock stands still: only the timer polls (real time) can ask for the reads.
    const { scheduler, reads } = recordingStore();
    worker = new Worker({ scheduler, registry, pollInterval: "20ms", logger: silentLogger });
    await worker.start();
    reads.length = 0;
    await waitFor(() => reads.length >= 6);
    const poll = ["dueSchedules", "listPauseRules", "claim"];
    expect(reads.slice(0, 6)).toEqual([...poll, ...poll]);
  });
});
