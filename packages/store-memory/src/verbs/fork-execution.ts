import {
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  SETTLED_STEP_STATUSES,
  StepNotFoundError,
} from "@zart/core";
import type { ExecutionRecord, ForkExecutionInput } from "@zart/core/store";
import type { MemoryContext } from "../storage/context.js";
import { copy, sortedSteps } from "../storage/rows.js";

/**
 * The operator's rerun: a new execution of the source's task whose history is a copy of the
 * source's settled steps before `fromStep`. Every check runs before the first write.
 */
export function forkExecution(ctx: MemoryContext, input: ForkExecutionInput, now: Date): ExecutionRecord {
  const { storage } = ctx;
  const source = storage.execution(input.sourceId);
  if (source === undefined) throw new ExecutionNotFoundError(input.sourceId);
  const history = sortedSteps(storage, input.sourceId);
  const from = history.find((row) => row.record.name === input.fromStep);
  if (from === undefined) throw new StepNotFoundError(input.sourceId, input.fromStep);
  if (storage.execution(input.executionId) !== undefined)
    throw new ExecutionAlreadyExistsError(input.executionId);
  const { taskName, version, payload, priority } = source.record;
  const concurrencyKey = input.concurrencyKey ?? source.record.concurrencyKey;
  const rateKey = input.rateKey ?? source.record.rateKey;
  const record: ExecutionRecord = {
    executionId: input.executionId,
    taskName,
    ...(version === undefined ? {} : { version }),
    payload: input.payload ?? payload,
    status: "pending",
    attempt: 0,
    runAt: new Date(now),
    ...(priority ? { priority } : {}),
    ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
    ...(rateKey === undefined ? {} : { rateKey }),
    rerunOf: input.sourceId,
    rerunFromStep: input.fromStep,
    ...(input.traceContext === undefined ? {} : { traceContext: input.traceContext }),
    scheduledAt: new Date(now),
    createdAt: new Date(now),
  };
  storage.insertExecution({ record });
  const steps = storage.steps(input.executionId);
  for (const row of history) {
    if (row.record.position < from.record.position && SETTLED_STEP_STATUSES.includes(row.record.status)) {
      steps.set(row.record.position, { record: copy(row.record) });
    }
  }
  ctx.emit("created", input.executionId);
  return copy(record);
}
