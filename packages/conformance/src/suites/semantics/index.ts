import type { Harness } from "../../harness.js";
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
export const SEMANTICS_SUITES = {
  "semantics/cancel-signal": cancelSignalSuite,
  "semantics/nested-steps": nestedStepsSuite,
  "semantics/concurrent-operations": concurrentOperationsSuite,
  "semantics/typed-events": typedEventsSuite,
  "semantics/history-names": historyNamesSuite,
  "semantics/unawaited-steps": unawaitedStepsSuite,
  "semantics/task-output": taskOutputSuite,
  "semantics/wait-completion": waitCompletionSuite,
  "semantics/parallel-retries": parallelRetriesSuite,
  "semantics/any-event": anyEventSuite,
} satisfies Record<string, (harness: Harness) => void>;
