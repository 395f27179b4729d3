import { setTimeout as sleep } from "node:timers/promises";
import { defineTask } from "@zart/core";
import type Database from "better-sqlite3";

export interface Transfer {
  from: string;
  to: string;
  amount: number;
}

/**
 * Moves money with one transactional step: the debit, the credit and the transfer record are
 * written through `tx` (the store's own SQLite handle, inside the step's transaction), so they
 * commit together with the step's result, exactly once, or not at all. `pauseMs` keeps the
 * transaction open a while, so the demo's SIGKILL often lands inside it.
 */
export function transferTask(pauseMs: number) {
  return defineTask({
    name: "transfer",
    async run(ctx, { from, to, amount }: Transfer) {
      const balance = await ctx.transaction("move-money", async (tx: Database.Database) => {
        const debit = tx.prepare("UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?");
        if (debit.run(amount, from, amount).changes === 0) throw new Error(`${from} cannot pay ${amount}`);
        tx.prepare("UPDATE accounts SET balance = balance + ? WHERE id = ?").run(amount, to);
        tx.prepare("INSERT INTO transfers (id, from_id, to_id, amount) VALUES (?, ?, ?, ?)").run(
          ctx.executionId,
          from,
          to,
          amount,
        );
        await sleep(pauseMs);
        return (tx.prepare("SELECT balance FROM accounts WHERE id = ?").get(from) as { balance: number })
          .balance;
      });
      return { [from]: balance };
    },
  });
}
