import { awaitAnyEventScript } from "./await-any-event.js";
import { awaitEventScript } from "./await-event.js";
import { cancelExecutionScript } from "./cancel-execution.js";
import { awaitChildExecutionsScript, startChildExecutionScript } from "./child-executions.js";
import { claimScript } from "./claim.js";
import { countDueScript } from "./count-due.js";
import { createExecutionScript } from "./create-execution.js";
import { createExecutionsScript } from "./create-executions.js";
import { debounceExecutionScript } from "./debounce-execution.js";
import { dispatchChildrenScript } from "./dispatch-children.js";
import { fencedWritesScript } from "./fenced-writes.js";
import { forkExecutionScript } from "./fork-execution.js";
import { releaseLeaseScript, renewLeaseScript } from "./lease.js";
import { offerEventScript } from "./offer-event.js";
import { pauseExecutionScript, resumeExecutionScript } from "./pause-execution.js";
import { createPauseRuleScript, deletePauseRuleScript, listPauseRulesScript } from "./pause-rules.js";
import type { ScriptDefinition } from "./prelude.js";
import { pendingCountsScript, queueStatsScript } from "./queue-stats.js";
import {
  getExecutionScript,
  getRunScript,
  listExecutionsScript,
  listRunsScript,
  purgeScript,
} from "./read-executions.js";
import { restartExecutionScript } from "./restart-execution.js";
import { retryExecutionScript } from "./retry-execution.js";
import {
  createScheduleScript,
  deleteScheduleScript,
  readSchedulesScript,
  writeScheduleScript,
} from "./schedules.js";
import { retryChildScript, settleChildScript } from "./settle-child.js";
import { suspendScript } from "./suspend.js";
import { takeRateTokenScript } from "./take-rate-token.js";
import { heartbeatWorkerScript, listWorkersScript, removeWorkerScript } from "./workers.js";

/** Every script the store runs, by role. Each is defined on the client with `defineCommand`. */
export const SCRIPTS = {
  createExecution: createExecutionScript,
  createExecutions: createExecutionsScript,
  debounceExecution: debounceExecutionScript,
  offerEvent: offerEventScript,
  cancelExecution: cancelExecutionScript,
  restartExecution: restartExecutionScript,
  forkExecution: forkExecutionScript,
  pauseExecution: pauseExecutionScript,
  resumeExecution: resumeExecutionScript,
  getExecution: getExecutionScript,
  getRun: getRunScript,
  listRuns: listRunsScript,
  listExecutions: listExecutionsScript,
  purge: purgeScript,
  countDue: countDueScript,
  queueStats: queueStatsScript,
  pendingCounts: pendingCountsScript,
  claim: claimScript,
  takeRateToken: takeRateTokenScript,
  renewLease: renewLeaseScript,
  fencedWrites: fencedWritesScript,
  suspend: suspendScript,
  awaitEvent: awaitEventScript,
  awaitAnyEvent: awaitAnyEventScript,
  dispatchChildren: dispatchChildrenScript,
  settleChild: settleChildScript,
  retryChild: retryChildScript,
  startChildExecution: startChildExecutionScript,
  awaitChildExecutions: awaitChildExecutionsScript,
  retryExecution: retryExecutionScript,
  releaseLease: releaseLeaseScript,
  createSchedule: createScheduleScript,
  writeSchedule: writeScheduleScript,
  deleteSchedule: deleteScheduleScript,
  readSchedules: readSchedulesScript,
  heartbeatWorker: heartbeatWorkerScript,
  listWorkers: listWorkersScript,
  removeWorker: removeWorkerScript,
  createPauseRule: createPauseRuleScript,
  deletePauseRule: deletePauseRuleScript,
  listPauseRules: listPauseRulesScript,
} satisfies Record<string, ScriptDefinition>;

/** The role of a script. */
export type ScriptName = keyof typeof SCRIPTS;
