import { TransactionsNotSupportedError, ValidationError } from "./errors.js";
import { flowKeys, type TaskFlow, taskFlow } from "./flow/task-concurrency.js";
import { captureTraceContext } from "./hooks/trace-context.js";
import { toJsonText } from "./json.js";
import type { NewExecution } from "./scheduler/client-verbs.js";
import type { OfferEventInput } from "./scheduler/events.js";
import type { Scheduler } from "./scheduler/scheduler.js";
import { isTerminal } from "./scheduler/vocabularies.js";
import { type EventSchemas, type TaskDefinition, versionOf } from "./task/define-task.js";
import type { TaskRegistry } from "./task/task-registry.js";
import { assertId, type StandardSchema, validateWith } from "./validation.js";

/** Options of `DurableScheduler.offerEvent`. */
export interface OfferEventOptions {
  /** A re-sent offer with an already accepted key is a no-op answered `"duplicate"`. */
  idempotencyKey?: string;
  /**
   * Signal-with-start: when no execution has this id (or it is terminal, which starts a new run as
   * `start` would), create it from `task` and `data` and put the event in its mailbox, atomically.
   * `data` is validated against the task's input schema before anything is persisted.
   */
  startIfMissing?: StartIfMissing;
  /**
   * Your open transaction (Postgres: a `pg` client inside `BEGIN`; SQLite: the store's own
   * better-sqlite3 handle inside `BEGIN`): the event (and any execution it starts) exists iff you
   * commit it.
   */
  transaction?: unknown;
}

export interface StartIfMissing {
  /** A `TaskDefinition` or a task name (checked against the client's registry when it has one). */
  // biome-ignore lint/suspicious/noExplicitAny: tasks of any data type are accepted
  task: TaskDefinition<any, any, any> | string;
  data: unknown;
}

/** What a task declares that an offer is checked against. */
interface TaskSchemas {
  name: string;
  version?: string;
  input?: StandardSchema;
  events?: EventSchemas;
}

/**
 * Validates an offer and hands it to the store, through the caller's transaction when one is
 * given. Nothing is persisted when it throws.
 */
export async function offerEvent(
  scheduler: Scheduler,
  registry: TaskRegistry | undefined,
  maxPayloadBytes: number,
  offer: { executionId: string; eventName: string; payload: unknown },
  options: OfferEventOptions,
): Promise<"delivered" | "duplicate"> {
  const { executionId, eventName } = offer;
  assertId(executionId, "executionId");
  assertId(eventName, "event name");
  if (options.idempotencyKey !== undefined) assertId(options.idempotencyKey, "idempotencyKey");
  if (options.transaction !== undefined && !scheduler.capabilities.transactionalStart) {
    throw new TransactionsNotSupportedError(scheduler.constructor.name, "offer");
  }
  const now = scheduler.clock.now();
  // Read before any await: the caller's active context is the offer's (and a started run's) parent.
  const traceContext = captureTraceContext();
  const start = options.startIfMissing && (await startTask(registry, options.startIfMissing));
  const value = await validateEvent(scheduler, registry, offer, start?.task);
  const input: OfferEventInput = {
    executionId,
    eventName,
    payload: toJsonText(value, `The "${eventName}" event's payload`, maxPayloadBytes) ?? "null",
    ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    ...(traceContext === undefined ? {} : { traceContext }),
  };
  if (start !== undefined) {
    const payload = toJsonText(start.data, "The input", maxPayloadBytes) ?? "null";
    const keys = flowKeys(start.flow, start.data);
    const version = versionOf(start.task);
    const execution: NewExecution = {
      executionId,
      taskName: start.task.name,
      payload,
      runAt: now,
      ...keys,
      ...(traceContext === undefined ? {} : { traceContext }),
      ...(version === undefined ? {} : { version }),
    };
    input.startIfMissing = execution;
  }
  if (options.transaction === undefined) return scheduler.offerEvent(input, now);
  if (!scheduler.offerEventInTransaction) {
    throw new TransactionsNotSupportedError(scheduler.constructor.name, "offer");
  }
  return scheduler.offerEventInTransaction(options.transaction, input, now);
}

/** The task to start and its validated input; an unknown name → `TaskNotRegisteredError` (with a registry). */
async function startTask(
  registry: TaskRegistry | undefined,
  { task, data }: StartIfMissing,
): Promise<{ task: TaskSchemas; data: unknown; flow: TaskFlow | undefined }> {
  if (typeof task !== "string" && (typeof task !== "object" || task === null)) {
    throw new ValidationError("startIfMissing.task must be a task definition or a task name.");
  }
  const name = typeof task === "string" ? task : task.name;
  assertId(name, "task name");
  const schemas: TaskSchemas = typeof task === "string" ? (registry?.get(task) ?? { name }) : task;
  const input = schemas.input ? await validateWith(schemas.input, data, `Input of task "${name}"`) : data;
  const flow = typeof task === "string" ? registry?.get(task) : taskFlow(name, task);
  return { task: schemas, data: input, flow };
}

/**
 * Validates the payload against the declaration of the task that will receive it: the live
 * execution's task, or else (unknown or terminal execution) the task `startIfMissing` starts.
 * Undeclared names are rejected; with no declaration in reach, the payload goes through as given.
 */
async function validateEvent(
  scheduler: Scheduler,
  registry: TaskRegistry | undefined,
  { executionId, eventName, payload }: { executionId: string; eventName: string; payload: unknown },
  starting: TaskSchemas | undefined,
): Promise<unknown> {
  if (!registry?.declaresEvents() && !starting?.events) return payload;
  const details = await scheduler.getExecution(executionId);
  const live = details !== undefined && !isTerminal(details.execution.status);
  const task =
    details && (live || starting === undefined) ? registeredTaskOf(registry, details.execution) : starting;
  const events = task?.events;
  if (!task || !events) return payload;
  const schema = events[eventName];
  if (!schema) {
    throw new ValidationError(
      `Task "${task.name}" declares no "${eventName}" event; it accepts ${Object.keys(events)
        .map((name) => `"${name}"`)
        .join(", ")}.`,
    );
  }
  return validateWith(schema, payload, `The "${eventName}" event's payload`);
}

/** The registered code of an execution's version, or else the task's last registered version. */
function registeredTaskOf(
  registry: TaskRegistry | undefined,
  execution: { taskName: string; version?: string },
): TaskSchemas | undefined {
  return registry?.findVersion(execution.taskName, execution.version) ?? registry?.find(execution.taskName);
}
