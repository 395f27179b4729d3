import {
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  type ExecutionRecord,
  type ForkExecutionInput,
  SETTLED_STEP_STATUSES,
  StepNotFoundError,
} from "@zart/core/store";
import type { Entry, TutorialStorage } from "../storage/tutorial-storage.js";

/**
 * `forkExecution` (the operator's rerun): checks first, then creates the new entry with copies of
 * the source's settled steps before the first step named `fromStep`. No `await`: atomic in-process.
 */
export function forkExecution(
  storage: TutorialStorage,
  input: ForkExecutionInput,
  now: Date,
): ExecutionRecord {
  const { entries } = storage;
  const source = entries.get(input.sourceId);
  if (!source) throw new ExecutionNotFoundError(input.sourceId);
  const positions = [...source.steps.values()]
    .filter((s) => s.name === input.fromStep)
    .map((s) => s.position);
  if (positions.length === 0) throw new StepNotFoundError(input.sourceId, input.fromStep);
  if (entries.has(input.executionId)) throw new ExecutionAlreadyExistsError(input.executionId);
  const from = Math.min(...positions);
  const { taskName, version, payload, priority } = source.record;
  // The new input's groups when the caller computed them, else the source's (so its queue too).
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
    scheduledAt: new Date(now),
    createdAt: new Date(now),
    rerunOf: input.sourceId,
    rerunFromStep: input.fromStep,
    ...(priority ? { priority } : {}),
    ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
    ...(rateKey === undefined ? {} : { rateKey }),
    ...(input.traceContext === undefined ? {} : { traceContext: input.traceContext }),
  };
  const steps: Entry["steps"] = new Map();
  for (const [position, step] of source.steps) {
    if (position < from && SETTLED_STEP_STATUSES.includes(step.status))
      steps.set(position, structuredClone(step));
  }
  entries.set(input.executionId, { record, steps, children: new Map(), events: [] });
  return structuredClone(record);
}
