import { defineTask } from "@zart/core";
import * as z from "zod";

/** The smallest workflow: two steps and a short durable sleep; finishes in about a second. */
export const helloTask = defineTask({
  name: "hello-task",
  input: z.object({ name: z.string().default("world") }).default({ name: "world" }),
  async run(ctx, data) {
    const greeting = await ctx.step("compose-greeting", async () => `Hello, ${data.name}!`);
    await ctx.sleep("pause", "1s");
    const at = await ctx.now("greeted-at");
    return { greeting, at: at.toISOString() };
  },
});
