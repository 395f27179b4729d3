import type { ExecutionPatch, Lease, StepWrite } from "@zart/core/store";
import type { Database } from "../db/database.js";
import { coalescedWrite } from "../sql/coalesced-writes.js";

/**
 * The hot path: one fenced write per step. Concurrent step writes (and completions) of one
 * scheduler instance share one statement, one round trip and one commit: see `coalesced-writes`
 * for the statement, its locking and its retries.
 */

/** Fenced: inserts or replaces the step row at `step.position` and applies the patch. */
export function saveStep(db: Database, lease: Lease, step: StepWrite, patch: ExecutionPatch): Promise<void> {
  return coalescedWrite(db, { lease, patch, step });
}
