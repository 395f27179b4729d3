import { TransactionsNotSupportedError } from "./errors.js";
import type { NewExecution } from "./scheduler/client-verbs.js";
import type { ExecutionRecord } from "./scheduler/records.js";
import type { Scheduler } from "./scheduler/scheduler.js";

/**
 * The write behind `start`: plain, or through the caller's transaction when one is given. A store
 * without the `transactionalStart` capability refuses the latter before anything is written, so
 * an execution never exists that the caller's rollback would not have undone.
 */
export function createExecution(
  scheduler: Scheduler,
  input: NewExecution,
  now: Date,
  { transaction }: { transaction?: unknown },
): Promise<ExecutionRecord> {
  if (transaction === undefined) return scheduler.createExecution(input, now);
  if (!scheduler.capabilities.transactionalStart || !scheduler.createExecutionInTransaction) {
    throw new TransactionsNotSupportedError(scheduler.constructor.name);
  }
  return scheduler.createExecutionInTransaction(transaction, input, now);
}
