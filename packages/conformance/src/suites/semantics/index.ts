import { anyEventSuite } from "./any-event.js";
import { cancelSignalSuite } from "./cancel-signal.js";
import { concurrentOperationsSuite } from "./concurrent-operations.js";
import { historyNamesSuite } from "./history-names.js";
import { nestedStepsSuite } from "./nested-steps.js";
import { parallelRetriesSuite } from "./parallel-retries.js";
import { taskOutputSuite } from "./task-output.js";
import { typedEventsSuite } from "./typed-events.js";
import { unawaitedStepsSuite } from "./unawaited-steps.js";
import { waitCompletionSuite } from "./wait-completion.js";

/** The rules of the README's "Semantics you must know" that issue 12 added, one topic each. */
export const SEMANTICS_SUITES = [
  cancelSignalSuite,
  nestedStepsSuite,
  concurrentOperationsSuite,
  typedEventsSuite,
  historyNamesSuite,
  unawaitedStepsSuite,
  taskOutputSuite,
  waitCompletionSuite,
  parallelRetriesSuite,
  anyEventSuite,
] as const;

export {
  anyEventSuite,
  cancelSignalSuite,
  concurrentOperationsSuite,
  historyNamesSuite,
  nestedStepsSuite,
  parallelRetriesSuite,
  taskOutputSuite,
  typedEventsSuite,
  unawaitedStepsSuite,
  waitCompletionSuite,
};
