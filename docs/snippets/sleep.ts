import { defineTask } from "@zart/core";

declare function sendEmail(to: string, subject: string): Promise<void>;

// #region sleep
export const trialReminder = defineTask({
  name: "trial-reminder",
  async run(ctx, user: { email: string; trialEndsAt: string }) {
    await ctx.step("welcome", () => sendEmail(user.email, "Welcome"));
    // Durable: the deadline (now + 24 h) is persisted once, the worker slot is
    // freed, and any worker resumes the execution after it, even after restarts
    // and deploys.
    await ctx.sleep("wait-a-day", "24h");
    await ctx.step("tips", () => sendEmail(user.email, "Three tips"));
    // Until a date. The date is computed from the input here, so it is the same
    // on every replay.
    await ctx.sleepUntil("wait-for-trial-end", new Date(user.trialEndsAt));
    await ctx.step("trial-ended", () =>
      sendEmail(user.email, "Your trial ended"),
    );
  },
});
// #endregion sleep
