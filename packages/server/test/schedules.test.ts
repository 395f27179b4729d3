import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const create = (json: Record<string, unknown>) => h.call("/api/v1/schedules", { method: "POST", json });

describe("/api/v1/schedules", () => {
  it("creates, lists, reads, patches, pauses, resumes, triggers and deletes", async () => {
    const res = await create({
      schedule_id: "nightly",
      task_name: "quick",
      cron: "0 2 * * *",
      data: { n: 2 },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({
      schedule_id: "nightly",
      task_name: "quick",
      overlap: "skip",
      paused: false,
    });
    expect(typeof created.next_fire_at).toBe("string");

    const list = (await (await h.call("/api/v1/schedules")).json()) as {
      schedules: { schedule_id: string }[];
    };
    expect(list.schedules.map((s) => s.schedule_id)).toContain("nightly");
    expect((await h.call("/api/v1/schedules/nightly")).status).toBe(200);

    const patched = await h.call("/api/v1/schedules/nightly", {
      method: "PATCH",
      json: { cron: "30 3 * * *", timezone: "Europe/Paris" },
    });
    expect(await patched.json()).toMatchObject({ cron: "30 3 * * *", timezone: "Europe/Paris" });
    const paused = await h.call("/api/v1/schedules/nightly/pause", { method: "POST" });
    expect(await paused.json()).toMatchObject({ paused: true });
    const resumed = await h.call("/api/v1/schedules/nightly/resume", { method: "POST" });
    expect(await resumed.json()).toMatchObject({ paused: false });

    const trigger = await h.call("/api/v1/schedules/nightly/trigger", { method: "POST" });
    const { execution_id } = (await trigger.json()) as { execution_id: string };
    expect(execution_id).toMatch(/^nightly@trigger-/);
    const waited = await h.call(`/api/v1/executions/${encodeURIComponent(execution_id)}/wait?timeout=10s`);
    expect(await waited.json()).toMatchObject({ status: "completed" });

    expect((await h.call("/api/v1/schedules/nightly", { method: "DELETE" })).status).toBe(200);
    const gone = await h.call("/api/v1/schedules/nightly");
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe("SCHEDULE_NOT_FOUND");
  });

  it("answers 409 SCHEDULE_ALREADY_EXISTS for an id in use", async () => {
    expect(
      (await create({ schedule_id: "dup", task_name: "quick", cron: "* * * * *", data: { n: 1 } })).status,
    ).toBe(201);
    const again = await create({ schedule_id: "dup", task_name: "quick", cron: "0 * * * *", data: { n: 1 } });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("SCHEDULE_ALREADY_EXISTS");
  });

  it.each([
    ["a bad cron", { cron: "every day" }, "VALIDATION"],
    ["an unknown zone", { timezone: "Mars/Olympus" }, "VALIDATION"],
    ["end before start", { start_at: "2030-02-01T00:00:00Z", end_at: "2030-01-01T00:00:00Z" }, "VALIDATION"],
    ["an unknown task", { task_name: "nope" }, "TASK_NOT_REGISTERED"],
    ["an unknown overlap", { overlap: "sometimes" }, "VALIDATION"],
    ["data failing the task's schema", { data: { n: "two" } }, "VALIDATION"],
  ])("is a 400 for %s, storing nothing", async (_, patch, code) => {
    const res = await create({
      schedule_id: "bad",
      task_name: "quick",
      cron: "* * * * *",
      data: { n: 1 },
      ...patch,
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe(code);
    expect((await h.call("/api/v1/schedules/bad")).status).toBe(404);
  });
});
