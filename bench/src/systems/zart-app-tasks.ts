/** W9's task kinds with Zart's public API: the app row written in `ctx.transaction`, or by a plain step. */
import { defineTask, type TaskRegistry } from "@zart/core";
import type { TaskInput } from "../tasks.js";
import type { AppTable } from "./app-table.js";
import type { Reporter } from "./types.js";

export function registerAppTasks(registry: TaskRegistry, report: Reporter, app: AppTable): TaskRegistry {
  return registry
    .register(
      defineTask<TaskInput, void>({
        name: "tx-write",
        async run(ctx, data) {
          await ctx.transaction("write", (tx) => app.insertIn(tx, data.id));
          report("d", data.id);
        },
      }),
    )
    .register(
      defineTask<TaskInput, void>({
        name: "step-write",
        async run(ctx, data) {
          await ctx.step("write", () => app.insert(data.id));
          report("d", data.id);
        },
      }),
    );
}
