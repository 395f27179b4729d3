import { defineTask } from "@zart/core";

declare function sendEmail(to: string): Promise<void>;
declare function sendSms(to: string): Promise<void>;
declare const featureFlags: { smsEnabled(): boolean };

// #region bad
export const badNotify = defineTask({
  name: "bad-notify",
  async run(ctx, user: { email: string; phone: string }) {
    // ✗ Read on every replay: if the flag flips while the execution sleeps, the
    // replay takes the other branch, meets "sms" where the history has "email",
    // and fails with NonDeterminismError.
    if (featureFlags.smsEnabled())
      await ctx.step("sms", () => sendSms(user.phone));
    else await ctx.step("email", () => sendEmail(user.email));
    await ctx.sleep("cool-down", "1h");
    // ✗ Runs on every replay: outside a step, a side effect is repeated.
    console.log("notified", new Date().toISOString());
  },
});
// #endregion bad

// #region good
export const goodNotify = defineTask({
  name: "good-notify",
  async run(ctx, user: { email: string; phone: string }) {
    // ✓ The decision is recorded once and replayed: the branch taken never
    // changes.
    const sms = await ctx.capture("sms-enabled", () =>
      featureFlags.smsEnabled(),
    );
    if (sms) await ctx.step("sms", () => sendSms(user.phone));
    else await ctx.step("email", () => sendEmail(user.email));
    await ctx.sleep("cool-down", "1h");
    // ✓ Side effects (and non-deterministic values) inside steps.
    const at = await ctx.now("notified-at");
    await ctx.step("log", () => console.log("notified", at.toISOString()));
  },
});
// #endregion good
