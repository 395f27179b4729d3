import type { CompleteExecutionInput, ExecutionPatch, Lease } from "@zart/core/store";
import type { Database } from "../db/database.js";
import { coalescedWrite } from "./coalesced-writes.js";

/**
 * The last write of a successful run: status `completed`, lease given up (`released_by` = token,
 * so a re-run after an unknown commit outcome matches nothing and is recognized as already done
 * instead of writing twice). Concurrent completions and step writes of one scheduler instance
 * share one statement, one round trip and one commit: see `coalesced-writes` for the statement,
 * its locking and its retries.
 */

/**
 * Fenced: status `completed`, `result`, `completedAt = now`, lease cleared. The error of an earlier
 * failed attempt is cleared: a completed execution has no error.
 */
export function completeExecution(
  db: Database,
  lease: Lease,
  input: CompleteExecutionInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<void> {
  return coalescedWrite(db, { lease, patch, completion: { result: input.result ?? null, now } });
}
