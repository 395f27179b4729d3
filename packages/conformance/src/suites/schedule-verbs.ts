import {
  defineTask,
  ScheduleAlreadyExistsError,
  ScheduleNotFoundError,
  TaskNotRegisteredError,
  ValidationError,
} from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";
import { personSchema } from "../harness.js";

const greet = defineTask({
  name: "greet",
  input: personSchema,
  async run(_ctx, data) {
    return `hello ${data.name}`;
  },
});

const valid = { scheduleId: "g", task: greet, cron: "*/10 * * * * *", data: { name: "Ada" } };

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const SCHEDULE_VERBS_TESTS = [
  "runsEveryScheduleVerb",
  "rejectsBadInput",
  "appliesOneOfRacingWrites",
  "listsDueSchedules",
] as const;

/** `durable.schedules` verbs, their bad input, and the store's compare-and-set under racing writers. */
export const scheduleVerbsSuite = defineSuite("schedule-verbs", SCHEDULE_VERBS_TESTS, (h, test) => {
  describe("schedule verbs", () => {
    test("runsEveryScheduleVerb", "creates, reads, lists, updates, triggers and deletes", async () => {
      const env = await h.env(greet);
      const created = await env.durable.schedules.create(valid);
      expect(created).toMatchObject({ taskName: "greet", timezone: "UTC", overlap: "skip", catchup: "none" });
      expect(created.nextFireAt?.toISOString()).toBe("2030-01-01T00:00:10.000Z");
      expect(await env.durable.schedules.get("g")).toEqual(created);

      const updated = await env.durable.schedules.update("g", { cron: "0 0 * * *", data: { name: "Bob" } });
      expect(updated.nextFireAt?.toISOString()).toBe("2030-01-02T00:00:00.000Z");
      expect(updated.data).toEqual({ name: "Bob" });

      const { executionId } = await env.durable.schedules.trigger("g");
      await env.run();
      expect(await env.durable.waitCompletion(executionId, { timeout: "5s" })).toBe("hello Bob");
      expect((await env.durable.schedules.get("g")).lastExecution).toEqual({
        executionId,
        status: "completed",
      });

      await env.durable.schedules.create({ ...valid, scheduleId: "a" });
      expect((await env.durable.schedules.list()).map((s) => s.scheduleId)).toEqual(["a", "g"]);
      expect((await env.durable.schedules.list({ limit: 1, offset: 1 })).map((s) => s.scheduleId)).toEqual([
        "g",
      ]);
      await env.durable.schedules.delete("g");
      await expect(env.durable.schedules.get("g")).rejects.toBeInstanceOf(ScheduleNotFoundError);
      await expect(env.durable.schedules.delete("g")).rejects.toBeInstanceOf(ScheduleNotFoundError);
      await expect(env.durable.schedules.pause("g")).rejects.toBeInstanceOf(ScheduleNotFoundError);
      expect((await env.durable.status(executionId)).status).toBe("completed");
    });

    test("rejectsBadInput", "rejects bad input with a typed error and stores nothing", async () => {
      const env = await h.env(greet);
      const { schedules } = env.durable;
      const cases: [object, new (...args: never[]) => Error][] = [
        [{ cron: "every day" }, ValidationError],
        [{ cron: "61 * * * *" }, ValidationError],
        [{ timezone: "Mars/Olympus" }, ValidationError],
        [{ startAt: new Date("2030-02-01"), endAt: new Date("2030-01-01") }, ValidationError],
        [{ task: "nope" }, TaskNotRegisteredError],
        [{ data: { name: 42 } }, ValidationError],
        [{ overlap: "sometimes" }, ValidationError],
        [{ scheduleId: "" }, ValidationError],
      ];
      for (const [patch, type] of cases) {
        await expect(schedules.create({ ...valid, ...patch } as typeof valid)).rejects.toBeInstanceOf(type);
      }
      expect(await schedules.list()).toEqual([]);

      const first = await schedules.create(valid);
      const duplicate = schedules.create({ ...valid, cron: "0 * * * *" });
      await expect(duplicate).rejects.toBeInstanceOf(ScheduleAlreadyExistsError);
      await expect(schedules.create(valid)).rejects.toMatchObject({ code: "SCHEDULE_ALREADY_EXISTS" });
      await expect(schedules.update("g", { cron: "nope" })).rejects.toBeInstanceOf(ValidationError);
      await expect(schedules.update("g", { data: { name: 1 } })).rejects.toBeInstanceOf(ValidationError);
      expect(await schedules.get("g")).toEqual(first);
    });

    test(
      "appliesOneOfRacingWrites",
      "applies exactly one of many racing writes over the same version",
      async () => {
        const env = await h.env(greet);
        await env.durable.schedules.create(valid);
        const row = await env.scheduler.getSchedule("g");
        if (!row) throw new Error("schedule missing");
        const now = env.clock.now();
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            env.scheduler.writeSchedule(
              {
                schedule: { ...row, version: row.version + 1, body: row.body },
                expectedVersion: row.version,
                start: [
                  { executionId: `fire-${i % 2}`, taskName: "greet", payload: '{"name":"x"}', runAt: now },
                ],
              },
              now,
            ),
          ),
        );
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const started = await env.scheduler.listExecutions({ limit: 10, offset: 0 });
        expect(started).toHaveLength(1);
        expect((await env.scheduler.getSchedule("g"))?.version).toBe(row.version + 1);
        // An execution that already exists is left as it is.
        const again = await env.scheduler.writeSchedule(
          {
            schedule: { ...row, version: row.version + 2 },
            expectedVersion: row.version + 1,
            start: [
              {
                executionId: started[0]?.execution.executionId ?? "",
                taskName: "other",
                payload: "1",
                runAt: now,
              },
            ],
          },
          now,
        );
        expect(again).toBe(true);
        expect((await env.scheduler.listExecutions({ limit: 10, offset: 0 }))[0]?.execution.taskName).toBe(
          "greet",
        );
        expect(await env.scheduler.deleteSchedule("g")).toBe(true);
        expect(
          await env.scheduler.writeSchedule(
            { schedule: row, expectedVersion: row.version + 2, start: [] },
            now,
          ),
        ).toBe(false);
      },
    );

    test("listsDueSchedules", "lists due schedules of the given tasks only, oldest due first", async () => {
      const env = await h.env(greet);
      const { scheduler, clock } = env;
      const at = (s: number) => new Date(clock.now().getTime() + s * 1000);
      await scheduler.createSchedule(
        { scheduleId: "b", taskName: "t", dueAt: at(2), version: 1, body: "{}" },
        at(0),
      );
      await scheduler.createSchedule(
        { scheduleId: "a", taskName: "t", dueAt: at(1), version: 1, body: "{}" },
        at(0),
      );
      await scheduler.createSchedule(
        { scheduleId: "c", taskName: "u", dueAt: at(1), version: 1, body: "{}" },
        at(0),
      );
      await scheduler.createSchedule({ scheduleId: "d", taskName: "t", version: 1, body: "{}" }, at(0));
      await expect(
        scheduler.createSchedule({ scheduleId: "d", taskName: "t", version: 1, body: "{}" }, at(0)),
      ).rejects.toBeInstanceOf(ScheduleAlreadyExistsError);
      const due = await scheduler.dueSchedules({ taskNames: ["t"], now: at(5), limit: 10 });
      expect(due.map((s) => [s.scheduleId, s.dueAt?.getTime()])).toEqual([
        ["a", at(1).getTime()],
        ["b", at(2).getTime()],
      ]);
      expect(await scheduler.dueSchedules({ taskNames: ["t"], now: at(1), limit: 10 })).toHaveLength(1);
      expect((await scheduler.listSchedules({ limit: 10, offset: 0 })).map((s) => s.scheduleId)).toEqual([
        "a",
        "b",
        "c",
        "d",
      ]);
    });
  });
});
