import type { TransactionIsolation } from "./vocabularies.js";
import type { StepWrite } from "./worker-writes.js";

/**
 * A `ctx.transaction` step as the engine hands it to `Scheduler.runTransactionalStep`: the user's
 * body, to run inside a transaction on the store's database, and the completed step row to write
 * in that same transaction once the body returns.
 */
export interface TransactionalStepInput {
  /**
   * The user's body. `transaction` is the store's handle on the open transaction (a `pg` client
   * inside `BEGIN`, a drizzle transaction, the better-sqlite3 handle…): its writes commit with the
   * step. A throw rolls everything back and is rethrown as is.
   */
  body: (transaction: unknown) => Promise<unknown>;
  /**
   * The completed step row for the body's value (its JSON text as `result`). It throws when the
   * value cannot be stored; the transaction then rolls back. May be called once per attempt of a
   * transaction retried after a serialization failure.
   */
  complete: (value: unknown) => StepWrite;
  /** The isolation level to run at; absent = the database's default. */
  isolation?: TransactionIsolation;
}
