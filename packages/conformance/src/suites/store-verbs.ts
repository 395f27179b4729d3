import type { Harness } from "../harness.js";
import { childExecutionVerbs } from "./verbs/child-executions.js";
import { eventAndChildVerbs } from "./verbs/events-children.js";
import { executionVerbs } from "./verbs/executions.js";
import { readVerbs } from "./verbs/reads.js";

/**
 * The `Scheduler` storage contract (`@zart/core`, scheduler.ts) verb by verb, driven directly (no
 * engine, no worker) on a manual clock: what each verb changes, returns and refuses.
 */
export function storeVerbsSuite(h: Harness): void {
  executionVerbs(h);
  eventAndChildVerbs(h);
  childExecutionVerbs(h);
  readVerbs(h);
}
