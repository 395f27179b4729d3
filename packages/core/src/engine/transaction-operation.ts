import { ValidationError } from "../errors.js";
import type { RetryConfig } from "../retry.js";
import { TRANSACTION_ISOLATIONS, type TransactionIsolation } from "../scheduler/vocabularies.js";
import type { RunState } from "./run-state.js";
import { runStep } from "./step-operation.js";
import type { TaskContext } from "./task-context.js";

/** Options of `ctx.transaction`. */
export interface TransactionOptions {
  /** Retry policy for failed attempts (default: none). Serialization failures and deadlocks are retried apart from it. */
  retry?: RetryConfig;
  /** The isolation level (Postgres; SQLite is always serializable). Default: the database's. */
  isolation?: TransactionIsolation;
}

/**
 * `ctx.transaction`: a step whose body runs inside a transaction on the store's database and whose
 * row commits in that same transaction (see `Scheduler.runTransactionalStep`). On a store without
 * the `transactionalSteps` capability it throws `TransactionsNotSupportedError` at the call,
 * before anything is recorded.
 */
export function runTransaction<T, Tx>(
  state: RunState,
  ctx: TaskContext,
  name: string,
  fn: (transaction: Tx) => Promise<T> | T,
  options: TransactionOptions,
): Promise<T> {
  try {
    state.writes.assertTransactionalSteps();
    if (options.isolation !== undefined && !TRANSACTION_ISOLATIONS.includes(options.isolation)) {
      throw new ValidationError(
        `Unknown isolation "${String(options.isolation)}" for transaction "${name}"; use one of ${TRANSACTION_ISOLATIONS.join(", ")}.`,
      );
    }
  } catch (error) {
    return Promise.reject(error);
  }
  const isolation = options.isolation ? { isolation: options.isolation } : {};
  return runStep(state, ctx, name, (tx) => fn(tx as Tx), options.retry, "transaction", isolation);
}
