import { defineTask, RetryConfig } from "@zart/core";

declare function resize(url: string, width: number): Promise<string>;

// #region wait-all
export const thumbnails = defineTask({
  name: "thumbnails",
  async run(ctx, image: { url: string }) {
    // Each scheduled step becomes its own unit of work that any worker may
    // claim.
    const small = ctx.scheduleStep("small", () => resize(image.url, 160));
    const large = ctx.scheduleStep("large", () => resize(image.url, 1280), {
      retry: RetryConfig.fixed(2, "5s"),
    });
    // The wait dispatches the handles, releases this execution, and resumes it
    // once the last one settles. Results come back in handle order, typed:
    // [string, string].
    const [smallUrl, largeUrl] = await ctx.waitAll([small, large]);
    return { smallUrl, largeUrl };
  },
});
// #endregion wait-all

// #region wait-all-settled
export const bestEffort = defineTask({
  name: "best-effort-fan-out",
  async run(ctx, urls: string[]) {
    const handles = urls.map((url, i) =>
      ctx.scheduleStep(`fetch-${i}`, () => fetch(url).then((r) => r.status)),
    );
    // never throws for a failed child
    const outcomes = await ctx.waitAllSettled(handles);
    return outcomes.map((o) =>
      o.status === "fulfilled" ? o.value : o.reason.message,
    );
  },
});
// #endregion wait-all-settled
