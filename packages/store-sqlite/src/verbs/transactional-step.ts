import { InvalidTransactionError } from "@zart/core";
import type { ExecutionPatch, Lease, StepWrite, TransactionalStepInput } from "@zart/core/store";
import type { SqliteContext } from "../db/context.js";
import { writeStep } from "./save-step.js";

/**
 * `runTransactionalStep` on SQLite: `BEGIN IMMEDIATE` on the store's handle (SQLite's write lock,
 * so no other connection writes until the commit), the body with `transactionDatabase` (default:
 * the handle itself), then the fenced step write and `COMMIT`. A throw anywhere rolls everything
 * back. SQLite transactions are serializable and take the write lock up front: no serialization
 * failure or deadlock can happen, so there is nothing to retry. The store's other verbs wait
 * meanwhile (see `TransactionGate`), so keep bodies short.
 */
export async function runTransactionalStep(
  ctx: SqliteContext,
  lease: Lease,
  input: TransactionalStepInput,
  patch: ExecutionPatch,
  _now: Date,
): Promise<StepWrite> {
  return ctx.gate.run(async () => {
    ctx.ensureOpen();
    const { database } = ctx;
    const translate = (error: unknown) => ctx.translate(error);
    ours(() => database.exec("BEGIN IMMEDIATE"), translate);
    try {
      const step = input.complete(await input.body(ctx.transactionDatabase ?? database));
      if (!database.inTransaction) {
        throw new InvalidTransactionError(
          "the ctx.transaction body ended the transaction itself (COMMIT or ROLLBACK)",
        );
      }
      ours(() => {
        writeStep(ctx.orm, lease, step, patch);
        database.exec("COMMIT");
      }, translate);
      return step;
    } catch (error) {
      if (database.open && database.inTransaction) database.exec("ROLLBACK");
      throw error;
    }
  });
}

function ours(statement: () => void, translate: (error: unknown) => unknown): void {
  try {
    statement();
  } catch (error) {
    throw translate(error);
  }
}
