import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function rules(): Promise<Record<string, unknown>[]> {
  const res = await h.call("/api/v1/pause-rules");
  expect(res.status).toBe(200);
  return ((await res.json()) as { pause_rules: Record<string, unknown>[] }).pause_rules;
}

async function statusOf(id: string): Promise<string> {
  return ((await (await h.call(`/api/v1/executions/${id}`)).json()) as { status: string }).status;
}

describe("/api/v1/pause-rules", () => {
  it("creates, lists and deletes a rule; its task's executions run again once it is deleted", async () => {
    const created = await h.call("/api/v1/pause-rules", {
      method: "POST",
      json: { task_name: "quick", step_name: "double", for: "1h" },
    });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as Record<string, string>;
    const now = h.scheduler.clock.now().getTime();
    expect(rule).toMatchObject({ task_name: "quick", step_name: "double" });
    expect(Date.parse(rule.expires_at!) - Date.parse(rule.created_at!)).toBe(3_600_000);
    expect(Date.parse(rule.created_at!)).toBeLessThanOrEqual(now);
    expect(await rules()).toEqual([rule]);

    const started = await h.call("/api/v1/executions", {
      method: "POST",
      json: { execution_id: "held-at-double", task_name: "quick", data: { n: 2 } },
    });
    expect(started.status).toBe(201);
    // Paused by the rule before its step runs: a guard against hanging, not a timed assertion.
    for (let i = 0; i < 200 && (await statusOf("held-at-double")) !== "paused"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await statusOf("held-at-double")).toBe("paused");
    const held = (await (await h.call("/api/v1/executions/held-at-double")).json()) as Record<
      string,
      unknown
    >;
    expect(held.paused_by).toEqual(rule);

    const deleted = await h.call(`/api/v1/pause-rules/${rule.rule_id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: true });
    expect(await rules()).toEqual([]);
    for (let i = 0; i < 200 && (await statusOf("held-at-double")) !== "completed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await statusOf("held-at-double")).toBe("completed");
  });

  it("refuses bad rules with 400 and stores nothing; an unknown rule is a 404", async () => {
    for (const json of [
      { task_name: "" },
      { task_name: "quick", step_name: "" },
      { task_name: "quick", for: -1 },
      { task_name: "quick", for: "0s" },
      { task_name: "quick", until: "2000-01-01T00:00:00Z" },
      { task_name: "quick", colour: "red" },
    ]) {
      const res = await h.call("/api/v1/pause-rules", { method: "POST", json });
      expect(res.status).toBe(400);
    }
    expect(await rules()).toEqual([]);
    const missing = await h.call("/api/v1/pause-rules/nope", { method: "DELETE" });
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe("PAUSE_RULE_NOT_FOUND");
  });

  it("requires the token", async () => {
    expect((await h.call("/api/v1/pause-rules", { auth: false })).status).toBe(401);
    const post = await h.call("/api/v1/pause-rules", {
      method: "POST",
      json: { task_name: "quick" },
      auth: false,
    });
    expect(post.status).toBe(401);
    expect(await rules()).toEqual([]);
  });
});
