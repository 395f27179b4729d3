import { setTimeout as sleep } from "node:timers/promises";
import { defineTask } from "@zart/core";
import type pg from "pg";

/** Steps per execution in the multi-process test. */
export const LEDGER_STEPS = 5;

/** The side-effect ledger: one row per run of a step body, written inside the body. */
export function createLedgerSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS "${schema}".ledger (
    id bigserial PRIMARY KEY,
    execution_id text NOT NULL,
    step integer NOT NULL,
    worker text NOT NULL,
    started_at timestamptz NOT NULL
  )`;
}

/** The output of a ledger chain for `executionId`. */
export function expectedLedgerResult(executionId: string): string {
  return Array.from({ length: LEDGER_STEPS }, (_, i) => `${executionId}:${i}`).join(">");
}

/**
 * A task of `LEDGER_STEPS` steps; each body records its run in the ledger (worker id and the
 * worker's wall clock, the clock `completedAt` is taken from) and then works for `stepMs`.
 */
export function ledgerTask(options: { pool: pg.Pool; schema: string; workerId: string; stepMs: number }) {
  return defineTask({
    name: "ledger-chain",
    async run(ctx) {
      let acc = "";
      for (let i = 0; i < LEDGER_STEPS; i++) {
        const previous = acc;
        acc = await ctx.step(`s${i}`, async () => {
          await options.pool.query(
            `INSERT INTO "${options.schema}".ledger (execution_id, step, worker, started_at) VALUES ($1, $2, $3, $4)`,
            [ctx.executionId, i, options.workerId, new Date()],
          );
          await sleep(options.stepMs);
          return previous === "" ? `${ctx.executionId}:${i}` : `${previous}>${ctx.executionId}:${i}`;
        });
      }
      return acc;
    },
  });
}
