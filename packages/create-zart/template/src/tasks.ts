import { defineTask } from "@zart/core";
import * as z from "zod";

/**
 * A durable task: each step's result is persisted, so after a crash or restart the execution
 * resumes where it was, and a completed step never runs again.
 */
export const welcomeTask = defineTask({
  name: "welcome",
  input: z.object({ email: z.string().email(), name: z.string() }),
  async run(ctx, user) {
    const accountId = await ctx.step("create-account", async () => `acct-${user.email}`);
    // A durable sleep: the worker is released, and the execution resumes after it (even in another process).
    await ctx.sleep("let-them-look-around", "1s");
    const sent = await ctx.step("send-welcome-email", async () => {
      // Call your email provider here; make it idempotent with ctx.executionId.
      return { to: user.email, subject: `Welcome, ${user.name}!` };
    });
    return { accountId, emailed: sent.to };
  },
});
