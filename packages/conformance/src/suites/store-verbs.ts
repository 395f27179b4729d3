import { defineSuite } from "../define-suite.js";
import { CHILD_EXECUTION_VERB_TESTS, childExecutionVerbs } from "./verbs/child-executions.js";
import { EVENT_CHILD_VERB_TESTS, eventAndChildVerbs } from "./verbs/events-children.js";
import { EXECUTION_VERB_TESTS, executionVerbs } from "./verbs/executions.js";
import { READ_VERB_TESTS, readVerbs } from "./verbs/reads.js";
import { START_PATH_VERB_TESTS, startPathVerbs } from "./verbs/start-paths.js";

/**
 * The `Scheduler` storage contract (`@zart/core/store`) verb by verb, driven directly (no engine,
 * no worker) on a manual clock: what each verb changes, returns and refuses.
 */
export const storeVerbsSuite = defineSuite(
  "store-verbs",
  [
    ...EXECUTION_VERB_TESTS,
    ...EVENT_CHILD_VERB_TESTS,
    ...CHILD_EXECUTION_VERB_TESTS,
    ...READ_VERB_TESTS,
    ...START_PATH_VERB_TESTS,
  ],
  (h, test) => {
    executionVerbs(h, test);
    eventAndChildVerbs(h, test);
    childExecutionVerbs(h, test);
    readVerbs(h, test);
    startPathVerbs(h, test);
  },
);
