import { defineTask } from "@zart/core";
import { z } from "zod";

/** One night's report: two steps, each persisted, so a crash between them never re-collects. */
export const nightlyReport = defineTask({
  name: "nightly-report",
  input: z.object({ team: z.string() }),
  async run(ctx, { team }) {
    // The fire time is part of the execution id: `<scheduleId>@<ISO time>` (`@trigger-<ISO>` by hand).
    const firedAt = (ctx.executionId.split("@").pop() ?? "").replace(/^trigger-/, "");
    const orders = await ctx.step("collect", async () => 100 + (new Date(firedAt).getUTCDate() % 7) * 13);
    return ctx.step("render", async () => `${team}: ${orders} orders (report of ${firedAt})`);
  },
});
