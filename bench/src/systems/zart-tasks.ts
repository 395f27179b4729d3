/** The benchmark's task kinds written with Zart's public API. */
import { type ChildHandle, defineTask, type StepHandle, TaskRegistry } from "@zart/core";
import { EVENT_NAME, KEY_LIMIT, lagSince, now, type TaskInput } from "../tasks.js";
import type { Reporter } from "./types.js";

export function zartRegistry(report: Reporter): TaskRegistry {
  return new TaskRegistry()
    .register(
      defineTask<TaskInput, void>({
        name: "three-steps",
        async run(ctx, data) {
          await ctx.step("one", async () => 1);
          await ctx.step("two", async () => 2);
          await ctx.step("three", async () => report("d", data.id));
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "keyed-three-steps",
        concurrency: { limit: KEY_LIMIT, key: (data) => data.key ?? "none" },
        async run(ctx, data) {
          await ctx.step("one", async () => 1);
          await ctx.step("two", async () => 2);
          await ctx.step("three", async () => report("d", data.id));
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "one-step",
        async run(ctx, data) {
          await ctx.step("one", async () => report("d", data.id));
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "wait-event",
        async run(ctx, data) {
          await ctx.step("a", async () => report("a", data.id));
          await ctx.waitForEvent(EVENT_NAME);
          await ctx.step("b", async () => report("b", data.id));
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "fan-out",
        async run(ctx, data) {
          const handles: StepHandle<number>[] = [];
          for (let i = 0; i < (data.width ?? 1); i++) handles.push(ctx.scheduleStep(`p${i}`, async () => i));
          await ctx.waitAll(handles);
          await ctx.step("after", async () => report("d", data.id));
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "child-three-steps",
        async run(ctx) {
          await ctx.step("one", async () => 1);
          await ctx.step("two", async () => 2);
          await ctx.step("three", async () => 3);
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "children",
        async run(ctx, data) {
          const handles: ChildHandle<void>[] = [];
          for (let i = 0; i < (data.width ?? 1); i++) {
            handles.push(
              await ctx.startChild<TaskInput, void>("child-three-steps", { id: `${data.id}-${i}` }),
            );
          }
          await ctx.waitForChildren(handles);
          await ctx.step("after", async () => report("d", data.id));
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "sleep",
        async run(ctx, data) {
          const sleepMs = data.sleepMs ?? 1000;
          const t0 = await ctx.step("t0", async () => now());
          await ctx.sleep("nap", sleepMs);
          await ctx.step("after", async () => report("lag", data.id, lagSince(t0, sleepMs)));
        },
      }),
    );
}
