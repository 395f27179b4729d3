import { createHash } from "node:crypto";
import { deserializeError, serializeError } from "../error-serialization.js";
import { ChildExecutionCancelledError, ChildExecutionFailedError } from "../errors.js";
import { fromJsonText, toJsonText } from "../json.js";
import type { ExecutionRecord } from "../scheduler/records.js";
import { type TaskDefinition, versionOf } from "../task/define-task.js";
import { assertId, MAX_ID_LENGTH, validateWith } from "../validation.js";
import { childWaitStepName, decodeChildResults, encodeChildResults } from "./child-wait-result.js";
import type { RunState } from "./run-state.js";

/** A started child execution; pass it to `ctx.waitForChild` / `ctx.waitForChildren`. */
export interface ChildHandle<O = unknown> {
  /** The child execution's id (use it with `status`, `cancel`, `offerEvent`, …). */
  readonly executionId: string;
  readonly taskName: string;
  /** Type carrier only. */
  readonly __output?: O;
}

export interface StartChildOptions {
  /** The child's execution id. Default: derived from the parent's id and the call's step name. */
  id?: string;
  /** A detached child outlives its parent: cancelling the parent does not cancel it. Default false. */
  detached?: boolean;
}

export type ChildTask<D, O> = TaskDefinition<D, O> | string;

export type ChildResults<H extends readonly ChildHandle[]> = {
  [K in keyof H]: H[K] extends ChildHandle<infer O> ? O : never;
};

/**
 * Starts a child execution exactly once per call position: the child's row and the parent's `child`
 * step are written in one store transaction, and a replay returns the recorded handle. Input is
 * validated with the child task's schema (the definition's, or the registered task's for a name)
 * before anything is written.
 */
export async function startChild<D, O>(
  state: RunState,
  task: ChildTask<D, O>,
  data: D,
  options: StartChildOptions,
): Promise<ChildHandle<O>> {
  const taskName = typeof task === "string" ? task : task.name;
  assertId(taskName, "child task name");
  if (options.id !== undefined) assertId(options.id, "child execution id");
  const { position, stepName, recorded } = state.claimSlot(taskName, "child");
  try {
    await state.enterOperation();
    if (recorded?.status === "completed") {
      return { executionId: fromJsonText<string>(recorded.result), taskName };
    }
    if (state.replayOnly) return state.park({ kind: "replay-end" });
    // A child by name starts on the worker's last registered version of it, like a start by name.
    const definition = typeof task === "string" ? state.registry?.find(task) : task;
    const schema = definition?.input;
    const version = definition ? versionOf(definition) : undefined;
    const input = schema ? await validateWith(schema, data, `Input of child task "${taskName}"`) : data;
    const payload =
      toJsonText(input, `The input of child task "${taskName}"`, state.maxPayloadBytes) ?? "null";
    const childId = options.id ?? childIdFor(state.executionId, stepName);
    const detached = options.detached ?? false;
    const step = await state.writes.startChildExecution({
      position,
      stepName,
      childId,
      taskName,
      ...(version === undefined ? {} : { version }),
      payload,
      detached,
      ...(state.traceContext ? { traceContext: state.traceContext } : {}),
    });
    return { executionId: fromJsonText<string>(step.result), taskName };
  } finally {
    state.operations.leave();
  }
}

/**
 * Waits until every child in `handles` is terminal (the parent is released meanwhile), then returns
 * their results in handle order, or throws the first failure in handle order as
 * `ChildExecutionFailedError` (cause = the child's error) / `ChildExecutionCancelledError`.
 */
export async function waitForChildren<const H extends readonly ChildHandle[]>(
  state: RunState,
  handles: H,
): Promise<ChildResults<H>> {
  const childIds = handles.map((handle) => handle.executionId);
  const name = childWaitStepName(handles.map((handle) => handle.taskName));
  const { position, stepName, recorded } = state.claimSlot(truncate(name), "child");
  try {
    await state.enterOperation();
    if (recorded?.status === "completed") return decodeChildResults(recorded.result) as ChildResults<H>;
    if (recorded?.status === "failed" && recorded.error) throw deserializeError(recorded.error);
    if (state.replayOnly) return state.park({ kind: "replay-end" });
    const wakeAt = state.timeoutAt;
    const outcome = await state.writes.awaitChildExecutions({
      position,
      stepName,
      childIds,
      ...(wakeAt ? { wakeAt } : {}),
    });
    if (outcome.outcome === "suspended") {
      return state.park({ kind: "suspended", ...(wakeAt ? { wakeAt } : {}) });
    }
    const failure = outcome.children.map(childError).find((error) => error !== undefined);
    const startedAt = recorded?.startedAt ?? state.now();
    const step = { position, name: stepName, kind: "child" as const, attempts: 1, startedAt };
    if (failure) {
      const error = serializeError(failure);
      await state.writes.saveStep({ ...step, status: "failed", error, completedAt: state.now() });
      throw failure;
    }
    const result = encodeChildResults(outcome.children.map((child) => child.result));
    await state.writes.saveStep({ ...step, status: "completed", result, completedAt: state.now() });
    return decodeChildResults(result) as ChildResults<H>;
  } finally {
    state.operations.leave();
  }
}

/** The error `waitForChild` throws for a failed or cancelled child; `undefined` when it completed. */
function childError(child: ExecutionRecord): Error | undefined {
  const details = { executionId: child.executionId, taskName: child.taskName };
  if (child.status === "cancelled") {
    return new ChildExecutionCancelledError(`Child execution "${child.executionId}" was cancelled.`, {
      details,
    });
  }
  if (child.status === "failed") {
    const cause = child.error ? deserializeError(child.error) : new Error("unknown failure");
    return new ChildExecutionFailedError(`Child execution "${child.executionId}" failed: ${cause.message}`, {
      cause,
      details,
    });
  }
  return undefined;
}

/**
 * The default child id: `<parent id>/<step name>`, stable across replays, so a replay after a crash
 * addresses the same child. Hashed when it would exceed the id length limit.
 */
export function childIdFor(parentId: string, stepName: string): string {
  const id = `${parentId}/${stepName}`;
  if (id.length <= MAX_ID_LENGTH) return id;
  return `child-${createHash("sha256").update(id).digest("hex")}`;
}

function truncate(name: string): string {
  return name.length <= MAX_ID_LENGTH - 16 ? name : `${name.slice(0, MAX_ID_LENGTH - 16)}…`;
}
