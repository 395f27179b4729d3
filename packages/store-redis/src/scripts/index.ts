import { awaitAnyEventScript } from "./await-any-event.js";
import { awaitEventScript } from "./await-event.js";
import { cancelExecutionScript } from "./cancel-execution.js";
import { awaitChildExecutionsScript, startChildExecutionScript } from "./child-executions.js";
import { claimScript } from "./claim.js";
import { completeExecutionScript } from "./complete-execution.js";
import { createExecutionScript } from "./create-execution.js";
import { dispatchChildrenScript } from "./dispatch-children.js";
import { failExecutionScript } from "./fail-execution.js";
import { forkExecutionScript } from "./fork-execution.js";
import { offerEventScript } from "./offer-event.js";
import { pauseExecutionScript, resumeExecutionScript } from "./pause-execution.js";
import type { ScriptDefinition } from "./prelude.js";
import { purgeScript } from "./purge.js";
import { getExecutionScript, listExecutionsScript } from "./read-executions.js";
import { releaseLeaseScript } from "./release-lease.js";
import { renewLeaseScript } from "./renew-lease.js";
import { restartExecutionScript } from "./restart-execution.js";
import { retryChildScript } from "./retry-child.js";
import { retryExecutionScript } from "./retry-execution.js";
import { saveStepScript } from "./save-step.js";
import {
  createScheduleScript,
  deleteScheduleScript,
  readSchedulesScript,
  writeScheduleScript,
} from "./schedules.js";
import { settleChildScript } from "./settle-child.js";
import { suspendScript } from "./suspend.js";

/** Every script the store runs, by role. Each is defined on the client with `defineCommand`. */
export const SCRIPTS = {
  createExecution: createExecutionScript,
  offerEvent: offerEventScript,
  cancelExecution: cancelExecutionScript,
  restartExecution: restartExecutionScript,
  forkExecution: forkExecutionScript,
  pauseExecution: pauseExecutionScript,
  resumeExecution: resumeExecutionScript,
  getExecution: getExecutionScript,
  listExecutions: listExecutionsScript,
  purge: purgeScript,
  claim: claimScript,
  renewLease: renewLeaseScript,
  saveStep: saveStepScript,
  suspend: suspendScript,
  awaitEvent: awaitEventScript,
  awaitAnyEvent: awaitAnyEventScript,
  dispatchChildren: dispatchChildrenScript,
  settleChild: settleChildScript,
  retryChild: retryChildScript,
  startChildExecution: startChildExecutionScript,
  awaitChildExecutions: awaitChildExecutionsScript,
  retryExecution: retryExecutionScript,
  completeExecution: completeExecutionScript,
  failExecution: failExecutionScript,
  releaseLease: releaseLeaseScript,
  createSchedule: createScheduleScript,
  writeSchedule: writeScheduleScript,
  deleteSchedule: deleteScheduleScript,
  readSchedules: readSchedulesScript,
} satisfies Record<string, ScriptDefinition>;

/** The role of a script. */
export type ScriptName = keyof typeof SCRIPTS;
