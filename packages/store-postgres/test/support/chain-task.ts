import { setTimeout as sleep } from "node:timers/promises";
import { defineTask } from "@zart/core";

/** Step `i` of execution `n` computes `acc * 2 + i`: the expected output of a chain started with `n`. */
export function expectedChain(n: number, steps: number): number {
  let acc = n;
  for (let i = 0; i < steps; i++) acc = acc * 2 + i;
  return acc;
}

/** One run of a step body: when it started (wall clock, ms). */
export interface StepRun {
  executionId: string;
  step: number;
  startedAt: number;
}

/**
 * A task of `steps` steps whose bodies report each run to `onRun` (the side-effect ledger) and
 * take `stepMs` each; each step's result depends on the previous one, so a step result persisted
 * twice with different values, or lost, shows in the output.
 */
export function chainTask(options: { steps: number; stepMs: number; onRun: (run: StepRun) => void }) {
  return defineTask({
    name: "chain",
    async run(ctx, n: number) {
      let acc = n;
      for (let i = 0; i < options.steps; i++) {
        const previous = acc;
        acc = await ctx.step(`s${i}`, async () => {
          options.onRun({ executionId: ctx.executionId, step: i, startedAt: Date.now() });
          await sleep(options.stepMs);
          return previous * 2 + i;
        });
      }
      return acc;
    },
  });
}
