import { InvalidTransactionError } from "@zart/core";
import type { ExecutionPatch, Lease, StepWrite, TransactionalStepInput } from "@zart/core/store";
import type Database from "better-sqlite3";
import type { Orm } from "../rows.js";
import { saveStep } from "./save-step.js";

/**
 * `runTransactionalStep` on SQLite: `BEGIN IMMEDIATE` on the store's handle (SQLite's write lock,
 * so no other connection writes until the commit), the body with `target`, then the fenced step
 * write and `COMMIT`. A throw anywhere rolls everything back. SQLite transactions are serializable
 * and take the write lock up front: no serialization failure or deadlock can happen, so there is
 * nothing to retry. `translate` turns driver errors of ours into the store's errors.
 */
export async function runTransactionalStep(
  database: Database.Database,
  orm: Orm,
  target: unknown,
  lease: Lease,
  input: TransactionalStepInput,
  patch: ExecutionPatch,
  translate: (error: unknown) => unknown,
): Promise<StepWrite> {
  ours(() => database.exec("BEGIN IMMEDIATE"), translate);
  try {
    const step = input.complete(await input.body(target));
    if (!database.inTransaction) {
      throw new InvalidTransactionError(
        "the ctx.transaction body ended the transaction itself (COMMIT or ROLLBACK)",
      );
    }
    ours(() => {
      saveStep(orm, lease, step, patch);
      database.exec("COMMIT");
    }, translate);
    return step;
  } catch (error) {
    if (database.open && database.inTransaction) database.exec("ROLLBACK");
    throw error;
  }
}

function ours(statement: () => void, translate: (error: unknown) => unknown): void {
  try {
    statement();
  } catch (error) {
    throw translate(error);
  }
}
