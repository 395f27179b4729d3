import { defineTask } from "@zart/core";
import * as z from "zod";

/** The smallest workflow: two steps and a short durable sleep; finishes in about a second. */
export const helloTask = defineTask({
  name: "hello-task",
  // Optional: `zart start hello-task` with no --data stores `null`.
  input: z.object({ name: z.string().optional() }).nullish(),
  async run(ctx, data) {
    const name = data?.name ?? "world";
    const greeting = await ctx.step("compose-greeting", async () => `Hello, ${name}!`);
    await ctx.sleep("pause", "1s");
    const at = await ctx.now("greeted-at");
    return { greeting, at: at.toISOString() };
  },
});
