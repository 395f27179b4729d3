import { defineTask, RetryConfig } from "@zart/core";
import * as z from "zod";

export const OnboardingData = z.object({ userId: z.string().min(1), email: z.email() });
export type OnboardingData = z.infer<typeof OnboardingData>;

export interface OnboardingResult {
  customerId: string;
}

/** What the steps did, so the demo can show it (a real app would call its services). */
export const sideEffects: string[] = [];
let stripeCalls = 0;

/** Seed 003's five-step flow: email, Stripe customer (with retries), provisioning, verification, activation. */
export const onboardingTask = defineTask({
  name: "onboarding",
  input: OnboardingData,
  maxRetries: 3,
  timeout: "50h", // covers the 48 h verification wait
  async run(ctx, data): Promise<OnboardingResult> {
    await ctx.step("send-welcome-email", async () => {
      sideEffects.push(`welcome email sent to ${data.email}`);
    });

    const customerId = await ctx.stepWithRetry(
      "create-stripe-customer",
      RetryConfig.exponential(3, "2s"),
      async () => {
        stripeCalls += 1;
        if (stripeCalls === 1) {
          sideEffects.push("Stripe answered 503 (transient); the step will retry in 2 s");
          throw new Error("Stripe: 503 Service Unavailable");
        }
        sideEffects.push(`Stripe customer created for ${data.email}`);
        return `cus_${data.userId}`;
      },
    );

    await ctx.step("provision-resources", async () => {
      sideEffects.push(`resources provisioned for ${data.userId} (${customerId})`);
    });

    await ctx.waitForEvent("email-verified", { timeout: "48h" });

    await ctx.step("activate-account", async () => {
      sideEffects.push(`account ${data.userId} activated`);
    });
    return { customerId };
  },
});
