/**
 * A cron schedule fired by a worker: "every night at 02:00 Paris time", run for nine days of a
 * manual clock (over the spring daylight-saving change) in well under a second, then a manual
 * trigger and a pause. `pnpm --filter @zart/example-nightly-report start` (in memory) or
 * `… start -- --db ./reports.db` (SQLite file).
 */
import { DurableScheduler, ManualClock, type Scheduler, TaskRegistry, Worker } from "@zart/core";
import { MemoryScheduler } from "@zart/store-memory";
import { nightlyReport } from "./report-task.js";

const clock = new ManualClock(new Date("2030-03-25T12:00:00Z"));

async function openStore(): Promise<Scheduler> {
  const dbFlag = process.argv.indexOf("--db");
  if (dbFlag === -1) return new MemoryScheduler({ clock });
  const { SqliteScheduler } = await import("@zart/store-sqlite");
  const store = new SqliteScheduler({ path: process.argv[dbFlag + 1] ?? "./reports.db", clock });
  await store.migrate();
  return store;
}

const scheduler = await openStore();
const registry = new TaskRegistry().register(nightlyReport);
const worker = new Worker({ scheduler, registry, logger: { ...console, debug() {}, info() {} } });
const durable = new DurableScheduler(scheduler, { registry });

console.log("=== Zart Nightly Report (a cron schedule) ===\n");
const scheduleId = `nightly-${Date.now()}`;
const created = await durable.schedules.create({
  scheduleId,
  task: nightlyReport,
  cron: "0 2 * * *",
  timezone: "Europe/Paris",
  data: { team: "sales" },
});
console.log(`Created ${scheduleId}: "${created.cron}" in ${created.timezone}`);
console.log(`  next fire ${created.nextFireAt?.toISOString()} (clock: ${clock.now().toISOString()})\n`);

// The worker fires due schedules from its claim loop; the manual clock makes nine nights instant.
for (let hour = 0; hour < 9 * 24; hour++) {
  clock.advance("1h");
  await worker.runUntilIdle();
}
const reports = (await durable.listExecutions({ taskName: nightlyReport.name, limit: 100 })).reverse();
// 02:00 Paris is 01:00Z in winter, 00:00Z in summer; on March 31 02:00 does not exist (clocks jump
// to 03:00), and croner fires at the first valid time after it: 03:00 Paris, 01:00Z.
console.log(`${reports.length} nightly reports:`);
for (const report of reports)
  console.log(`  ${report.scheduledAt.toISOString()}  ${report.status}  ${report.result}`);

const { executionId } = await durable.schedules.trigger(scheduleId);
await worker.runUntilIdle();
console.log(`\nTriggered by hand: ${executionId} -> ${(await durable.status(executionId)).result}`);

await durable.schedules.pause(scheduleId);
clock.advance("3d");
await worker.runUntilIdle();
const paused = await durable.schedules.get(scheduleId);
console.log(`Paused for three nights: still ${reports.length + 1} reports; paused=${paused.paused}`);
console.log(`Last execution: ${paused.lastExecution?.executionId} (${paused.lastExecution?.status})`);

await scheduler.close();
