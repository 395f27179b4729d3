import { setTimeout as sleep } from "node:timers/promises";
import { defineTask } from "@zart/core";
import type pg from "pg";

/** `ctx.transaction` steps per execution of the counter task. */
export const COUNTER_STEPS = 5;

/** The application's table: one row per (execution, step), `n` = how many times its write was applied. */
export function createCounterSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS "${schema}".counter (key text PRIMARY KEY, n int NOT NULL)`;
}

/**
 * `COUNTER_STEPS` transactional steps, each adding 1 to its own counter row through `tx`, then
 * pausing `stepMs` inside the transaction (so a SIGKILL often lands there). `hang`: the first body
 * prints `inside <id>` after its write and never returns.
 */
export function counterTask(options: { schema: string; stepMs: number; hang?: boolean }) {
  return defineTask({
    name: "counter",
    async run(ctx) {
      for (let i = 0; i < COUNTER_STEPS; i++) {
        await ctx.transaction(`add-${i}`, async (tx: pg.PoolClient) => {
          await tx.query(
            `INSERT INTO "${options.schema}".counter (key, n) VALUES ($1, 1)
             ON CONFLICT (key) DO UPDATE SET n = counter.n + 1`,
            [`${ctx.executionId}/${i}`],
          );
          if (options.hang) {
            process.stdout.write(`inside ${ctx.executionId}\n`);
            await new Promise(() => {});
          }
          await sleep(options.stepMs);
        });
      }
      return COUNTER_STEPS;
    },
  });
}
