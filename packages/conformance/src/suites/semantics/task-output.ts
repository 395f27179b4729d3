import { defineTask } from "@zart/core";
import { describe, expect, it } from "vitest";
import { type Harness, personSchema } from "../../harness.js";

/** Issue 12 item 7c: the worker validates a task's result against its `output` schema. */
export function taskOutputSuite(h: Harness): void {
  describe("task output schema", () => {
    it("fails the attempt with ValidationError when the result does not match", async () => {
      const task = defineTask({
        name: "bad-output",
        output: personSchema,
        async run() {
          return { name: 7 } as unknown as { name: string };
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "bad-output", null);
      await env.run();
      const status = await env.durable.status("e1");
      expect(status.status).toBe("failed");
      expect(status.error?.code).toBe("VALIDATION");
      expect(status.result).toBeUndefined();
    });

    it("records a matching result", async () => {
      const task = defineTask({
        name: "good-output",
        output: personSchema,
        async run() {
          return { name: "Ann" };
        },
      });
      const env = await h.env(task);
      await env.durable.start("e1", "good-output", null);
      await env.run();
      expect(await env.durable.status("e1")).toMatchObject({ status: "completed", result: { name: "Ann" } });
    });
  });
}
