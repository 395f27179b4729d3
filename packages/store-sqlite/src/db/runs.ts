import type {
  EventRecord,
  ExecutionDetails,
  ExecutionRecord,
  RunSummary,
  StepRecord,
} from "@zart/core/store";
import type { RunRow, runs } from "./schema.js";

/*
 * An archived run is one row of `zart_runs`: the `ExecutionDetails` it ended with as JSON (times
 * as ISO text, revived on read), beside the columns `listRuns` and `purge` read.
 */

const EXECUTION_TIMES = [
  "runAt",
  "timeoutAt",
  "scheduledAt",
  "createdAt",
  "startedAt",
  "completedAt",
  "leaseExpiresAt",
] as const satisfies readonly (keyof ExecutionRecord)[];
const STEP_TIMES = ["wakeAt", "startedAt", "completedAt"] as const satisfies readonly (keyof StepRecord)[];
const EVENT_TIMES = ["offeredAt", "consumedAt"] as const satisfies readonly (keyof EventRecord)[];

/** The row archiving `details` (whose execution is terminal) as its run. */
export function toRunRow(details: ExecutionDetails): typeof runs.$inferInsert {
  const execution = { ...details.execution, run: details.execution.run ?? 1 };
  return {
    executionId: execution.executionId,
    run: execution.run,
    status: execution.status,
    taskName: execution.taskName,
    createdAt: execution.createdAt,
    completedAt: execution.completedAt ?? null,
    details: JSON.stringify({ ...details, execution }),
  };
}

/** The archived run as it was. */
export function toRunDetails(row: Pick<RunRow, "details">): ExecutionDetails {
  const details = JSON.parse(row.details) as ExecutionDetails;
  return {
    execution: revive(details.execution, EXECUTION_TIMES),
    steps: details.steps.map((step) => revive(step, STEP_TIMES)),
    events: details.events.map((event) => revive(event, EVENT_TIMES)),
  };
}

/** The listing of a run, archived or current. */
export function toRunSummary(record: {
  run?: number | null;
  status: RunSummary["status"];
  taskName: string;
  createdAt: Date;
  completedAt?: Date | null;
}): RunSummary {
  return {
    run: record.run ?? 1,
    status: record.status,
    taskName: record.taskName,
    createdAt: record.createdAt,
    ...(record.completedAt ? { completedAt: record.completedAt } : {}),
  };
}

/** `record` with its time fields (ISO text in the snapshot) back as `Date`s. */
function revive<T extends object>(record: T, keys: readonly (keyof T & string)[]): T {
  const revived = { ...record } as Record<string, unknown>;
  for (const key of keys) {
    const value = revived[key];
    if (typeof value === "string") revived[key] = new Date(value);
  }
  return revived as T;
}
