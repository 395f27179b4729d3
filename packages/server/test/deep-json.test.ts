import { MAX_JSON_DEPTH } from "@zart/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, type Harness, startHarness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ registry: undefined, bodyLimit: 4 * 1024 * 1024 });
});
afterAll(() => h.close());

/** `depth` nested arrays around a 1, as JSON text. */
const deepArray = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const post = (path: string, body: string) =>
  h.call(path, { method: "POST", body, headers: { "content-type": "application/json" } });

describe(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, () => {
  it.each([MAX_JSON_DEPTH + 1, 10_000, 400_000])(
    "POST /executions with data %i levels deep is a 400 SERIALIZATION and stores nothing",
    async (depth) => {
      const res = await post(
        "/api/v1/executions",
        `{"task_name":"any","execution_id":"d1","data":${deepArray(depth)}}`,
      );
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("SERIALIZATION");
      expect((await h.call("/api/v1/executions/d1")).status).toBe(404);
    },
  );

  it.each([MAX_JSON_DEPTH + 1, 10_000, 400_000])(
    "POST /events with a payload %i levels deep is a 400 SERIALIZATION and leaves the mailbox empty",
    async (depth) => {
      await post(
        "/api/v1/executions",
        '{"task_name":"any","execution_id":"e1","run_at":"2999-01-01T00:00:00Z"}',
      );
      const res = await post("/api/v1/events/e1/go", deepArray(depth));
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("SERIALIZATION");
      const status = (await (await h.call("/api/v1/executions/e1")).json()) as { events: unknown[] };
      expect(status.events).toEqual([]);
    },
  );

  it(`accepts data exactly ${MAX_JSON_DEPTH} levels deep`, async () => {
    const res = await post("/api/v1/executions", `{"task_name":"any","data":${deepArray(MAX_JSON_DEPTH)}}`);
    expect(res.status).toBe(201);
  });
});
