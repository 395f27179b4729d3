import { z } from "@hono/zod-openapi";
import { CREATE_OUTCOMES, EXECUTION_STATUSES, STEP_KINDS } from "@zart/core";
import { PendingReasonSchema } from "./queue-schemas.js";

/**
 * The zod schemas of every request and response body. The routes validate with them and the
 * OpenAPI document at `/api/v1/openapi.json` is generated from them, so the two never drift.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

/** Execution ids, task names, event names, idempotency keys: 1–255 characters, no control characters. */
export const IdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(PRINTABLE, "must not contain control characters");

const DateTime = z.iso.datetime().openapi({ example: "2025-01-31T12:00:00.000Z" });
/** A bound of a created time range (ISO 8601, any offset). */
export const CreatedBound = z.iso.datetime({ offset: true }).openapi({ example: "2025-01-31T12:00:00Z" });

export const ExecutionStatusEnum = z.enum(EXECUTION_STATUSES).openapi("ExecutionState");

export const ErrorInfoSchema = z
  .object({
    name: z.string(),
    message: z.string(),
    code: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    cause: z.unknown().optional().openapi({ description: "The cause, as another ErrorInfo." }),
  })
  .openapi("ErrorInfo", { description: "An error as persisted; never a stack trace." });

export const StepSchema = z
  .object({
    name: z.string(),
    kind: z.enum(STEP_KINDS).openapi({
      description: "`child`: a child execution started (result = its id) or awaited.",
    }),
    status: ExecutionStatusEnum,
    result: z.unknown().optional(),
    error: ErrorInfoSchema.optional(),
    attempts: z.number().int(),
    wake_at: DateTime.optional().openapi({ description: "Sleep end, event-wait deadline or next retry." }),
    started_at: DateTime.optional(),
    completed_at: DateTime.optional(),
  })
  .openapi("Step");

export const EventSchema = z
  .object({
    event_name: z.string(),
    payload: z.unknown(),
    idempotency_key: z.string().optional(),
    offered_at: DateTime,
    consumed_at: DateTime.optional().openapi({ description: "Absent while the event waits in the mailbox." }),
  })
  .openapi("MailboxEvent");

/** A pause rule (`/api/v1/pause-rules`, and what holds an execution back). */
export const PauseRuleSchema = z
  .object({
    rule_id: z.string(),
    task_name: z.string(),
    step_name: z.string().optional(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime().optional(),
  })
  .openapi("PauseRule");

/** Who runs a running execution (`GET /api/v1/executions/{id}` only). */
export const LeaseSchema = z
  .object({
    worker_id: z.string().openapi({ description: "The worker holding the lease." }),
    host: z.string().optional().openapi({ description: "Its host, from the worker registry." }),
    pid: z.number().int().optional(),
    worker_gone: z
      .boolean()
      .optional()
      .openapi({ description: "The holder sent no heartbeat for longer than its lease duration." }),
    expires_at: DateTime,
    expired: z.boolean(),
    note: z.string().optional().openapi({ example: "lease expired, waiting to be reclaimed" }),
    step_since: DateTime.optional().openapi({
      description: "When the step now running began (the last checkpoint).",
    }),
    running_steps: z
      .array(z.object({ name: z.string(), since: DateTime.optional() }))
      .openapi({ description: "Parallel steps running now." }),
  })
  .openapi("Lease");

export const ExecutionSchema = z
  .object({
    execution_id: z.string(),
    run: z.number().int().openapi({
      description:
        "Run number of the id, 1-based: each start that replaces a finished execution begins the next run.",
    }),
    name: z.string().openapi({ description: "The task name." }),
    version: z
      .string()
      .optional()
      .openapi({ description: "The task version it started on (defineTask version); absent = unversioned." }),
    status: ExecutionStatusEnum,
    payload: z.unknown().openapi({ description: "The input." }),
    result: z.unknown().optional(),
    error: ErrorInfoSchema.optional(),
    attempt: z.number().int().openapi({ description: "Task-level attempt, 0-based." }),
    data: z.unknown().optional().openapi({ description: "The ctx.data() blob." }),
    scheduled_at: DateTime,
    created_at: DateTime,
    started_at: DateTime.optional(),
    completed_at: DateTime.optional(),
    wake_at: DateTime.optional(),
    parent_id: z
      .string()
      .optional()
      .openapi({ description: "The execution that started this one as a child execution." }),
    rerun_of: z
      .object({ execution_id: z.string(), from_step: z.string() })
      .optional()
      .openapi({ description: "The execution this one reruns, and the step it started from." }),
    lease: LeaseSchema.optional(),
    paused_by: PauseRuleSchema.optional().openapi({
      description:
        "The pause rule holding it (`GET /api/v1/executions/{id}` only): a pending one whose task a " +
        "rule holds, or a paused one stopped at a step a rule holds.",
    }),
    pending_reason: PendingReasonSchema.optional(),
    steps: z.array(StepSchema),
    events: z.array(EventSchema),
  })
  .openapi("Execution");

export const ExecutionListSchema = z
  .object({
    executions: z.array(ExecutionSchema),
    limit: z.number().int(),
    offset: z.number().int(),
    next_cursor: z.string().optional().openapi({
      description: "Pass as `cursor` for the next page; absent on the last page.",
    }),
  })
  .openapi("ExecutionList");

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "EXECUTION_NOT_FOUND" }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

const DurationSchema = z.union([z.string().min(1), z.number().int().nonnegative()]);

const DebounceSchema = z
  .strictObject({
    key: IdSchema.openapi({ example: "user-42" }),
    period: DurationSchema.openapi({
      description: 'Runs this long after the last start: "5s" or milliseconds.',
    }),
    timeout: DurationSchema.optional().openapi({
      description: "Never later than this long after the first start.",
    }),
  })
  .openapi("Debounce", {
    description:
      "Starts of the task with the same key collapse into one execution that runs with the last " +
      "start's data; the response names that execution. Not with `run_at`.",
  });

export const StartBodySchema = z
  .strictObject({
    task_name: IdSchema.openapi({ example: "approval-task" }),
    execution_id: IdSchema.optional().openapi({
      description: "The idempotency key; a random UUID when absent.",
      example: "approval-demo-1",
    }),
    data: z.unknown().optional().openapi({ description: "The task's input (default null)." }),
    run_at: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "Start later, at this time." }),
    debounce: DebounceSchema.optional(),
  })
  .openapi("StartExecution");

export type StartBody = z.infer<typeof StartBodySchema>;

/** Items one `POST /api/v1/executions:batch` takes at most (the body size limit applies too). */
export const MAX_BATCH_ITEMS = 1000;

export const StartBatchBodySchema = z
  .strictObject({
    items: z
      .array(StartBodySchema)
      .min(1, "must not be empty")
      .max(MAX_BATCH_ITEMS, `must have at most ${MAX_BATCH_ITEMS} items`),
  })
  .openapi("StartExecutionBatch");

export const StartBatchResultSchema = z
  .object({
    results: z.array(
      z.object({
        execution_id: z.string(),
        outcome: z.enum([...CREATE_OUTCOMES, "debounced", "invalid"]).openapi({
          description:
            "`created`: started (a finished id starts a new run); `exists`: an unfinished execution " +
            "holds the id, nothing changed; `debounced`: collapsed into the unstarted execution " +
            "`execution_id` of its debounce key; `invalid`: refused (see `error`), nothing written.",
        }),
        error: ErrorEnvelopeSchema.shape.error.optional(),
      }),
    ),
  })
  .openapi("StartExecutionBatchResult");

export const RerunBodySchema = z
  .strictObject({
    from_step: IdSchema.openapi({
      description: "The step to run again, as named in the execution's steps (with its #n suffix).",
      example: "charge",
    }),
    new_id: IdSchema.optional().openapi({
      description: "The new execution's id; a random UUID when absent.",
    }),
    data: z.unknown().optional().openapi({ description: "A new input (default: the original's)." }),
  })
  .openapi("Rerun");

export const EventDeliverySchema = z
  .object({
    status: z.enum(["delivered", "duplicate"]),
    execution_id: z.string(),
    event_name: z.string(),
  })
  .openapi("EventDelivery");

export const CancelResultSchema = z
  .object({ cancelled: z.boolean().openapi({ description: "false when it was already terminal." }) })
  .openapi("CancelResult");

export const PurgeBodySchema = z
  .strictObject({
    older_than: z.union([z.string().min(1), z.number().int().nonnegative()]).openapi({
      description: 'Finished at least this long ago: "30d", "12h", "90m" or milliseconds.',
      example: "30d",
    }),
    statuses: z
      .array(z.enum(["completed", "failed", "cancelled"]))
      .min(1)
      .optional()
      .openapi({ description: "Only these terminal statuses (default: all three)." }),
  })
  .openapi("Purge");

export const PurgeResultSchema = z
  .object({
    purged: z.number().int().openapi({ description: "Executions deleted, with their steps and events." }),
  })
  .openapi("PurgeResult");

export const ListQuerySchema = z.object({
  status: ExecutionStatusEnum.optional(),
  task_name: IdSchema.optional(),
  parent_id: IdSchema.optional().openapi({ description: "Only the child executions of this execution." }),
  version: IdSchema.optional().openapi({ description: "Only the executions started on this task version." }),
  created_after: CreatedBound.optional().openapi({
    description: "Only executions created at or after this.",
  }),
  created_before: CreatedBound.optional().openapi({ description: "Only executions created before this." }),
  queue: IdSchema.optional().openapi({
    description: "Only the executions of this queue (defineQueue name).",
  }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(512).optional().openapi({
    description: "The `next_cursor` of the previous page (keyset pagination: no repeats or gaps).",
  }),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).openapi({
    description: "Deprecated: rows to skip; shifts when executions start meanwhile. Use `cursor`.",
    deprecated: true,
  }),
});

export const WaitQuerySchema = z.object({
  timeout: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,6})?(ms|s|m|h|d)?$/, "must be a duration such as 500ms, 30s or 5m")
    .optional()
    .openapi({ description: "How long to hold the request: 30s by default, 5m at most.", example: "30s" }),
});

export const RunQuerySchema = z.object({
  run: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .openapi({ description: "An earlier run of the id (default: the current run)." }),
});

export const RunSummarySchema = z
  .object({
    run: z.number().int(),
    status: ExecutionStatusEnum,
    task: z.string().openapi({ description: "The task name." }),
    created_at: DateTime,
    completed_at: DateTime.optional(),
  })
  .openapi("RunSummary");

export const RunListSchema = z.object({ runs: z.array(RunSummarySchema) }).openapi("RunList");

export const ExecutionParamsSchema = z.object({
  execution_id: IdSchema.openapi({ param: { name: "execution_id", in: "path" } }),
});

export const EventParamsSchema = z.object({
  execution_id: IdSchema.openapi({ param: { name: "execution_id", in: "path" } }),
  event_name: IdSchema.openapi({ param: { name: "event_name", in: "path" } }),
});

export const EventHeadersSchema = z.object({
  "idempotency-key": IdSchema.optional().openapi({
    param: { name: "idempotency-key", in: "header" },
    description: "A re-sent delivery with the same key is a no-op answered `duplicate`.",
  }),
});

export const EventQuerySchema = z.object({
  start_if_missing: IdSchema.optional().openapi({
    description:
      "Signal-with-start: the task to start under `execution_id` when no execution has that id (or it " +
      "is terminal: a new run, as a start would), in the same transaction as the delivery.",
    example: "order",
  }),
  start_data: z.string().optional().openapi({
    description: "With `start_if_missing`: the started task's input, as JSON text (default: null).",
    example: '{"orderId":"o-1"}',
  }),
});

export const HealthSchema = z.object({ status: z.string() }).openapi("Health");

export type WireExecution = z.infer<typeof ExecutionSchema>;
export type WireStep = z.infer<typeof StepSchema>;
export type WireRunSummary = z.infer<typeof RunSummarySchema>;
export type WireEvent = z.infer<typeof EventSchema>;
export type WireErrorInfo = z.infer<typeof ErrorInfoSchema>;
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
