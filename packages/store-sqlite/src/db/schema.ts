/**
 * The SQLite schema of `@zart/store-sqlite`, the source drizzle-kit generates the migrations in
 * `../drizzle` from (`npx drizzle-kit generate` in this package). Tables are prefixed `zart_` so a
 * database handle shared with an application never collides with its tables.
 *
 * Times are integer epoch milliseconds (drizzle maps them to `Date`). Values written by user code
 * (inputs, results, payloads, `ctx.data`) are the engine's JSON text, stored as-is in `text` columns;
 * serialized errors are JSON text too.
 */
import {
  EXECUTION_STATUSES,
  type SerializedError,
  STEP_KINDS,
  STEP_STATUSES,
  WAIT_REASONS,
} from "@zart/core/store";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Epoch-millisecond time column, read and written as `Date`. */
const time = (name: string) => integer(name, { mode: "timestamp_ms" });

/** One row per execution: its input, status, outcome, wake time and lease. */
export const executions = sqliteTable(
  "zart_executions",
  {
    executionId: text("execution_id").primaryKey(),
    /** Run number of this id: a start that replaces a terminal execution begins the next; null = 1. */
    run: integer("run"),
    taskName: text("task_name").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull(),
    result: text("result"),
    error: text("error", { mode: "json" }).$type<SerializedError>(),
    data: text("data"),
    attempt: integer("attempt").notNull().default(0),
    /** Wake time of a pending/waiting execution; null = only an event wakes it. */
    runAt: time("run_at"),
    timeoutAt: time("timeout_at"),
    waitReason: text("wait_reason", { enum: WAIT_REASONS }),
    waitEvent: text("wait_event"),
    /** The execution that started this one with `ctx.startChild`; null for a top-level execution. */
    parentId: text("parent_id"),
    /** Child executions only: true when a cancel of the parent does not reach it. */
    detached: integer("detached", { mode: "boolean" }),
    /** A rerun (`forkExecution`): the execution it was forked from, and the step it starts at. */
    rerunOf: text("rerun_of"),
    rerunFromStep: text("rerun_from_step"),
    scheduledAt: time("scheduled_at").notNull(),
    createdAt: time("created_at").notNull(),
    startedAt: time("started_at"),
    completedAt: time("completed_at"),
    leaseOwner: text("lease_owner"),
    /** Fencing token of the current lease; null while nobody holds it. */
    leaseToken: text("lease_token"),
    leaseExpiresAt: time("lease_expires_at"),
    /** Claim order, higher first; null = 0, so unprioritized work keeps the plain claim indexes. */
    priority: integer("priority"),
    /** The concurrency group it counts in (`ClaimRequest.concurrencyLimits`); null = none. */
    concurrencyKey: text("concurrency_key"),
    /** The rate-limit group its start counts in (`ClaimRequest.rateLimits`); null = none. */
    rateKey: text("rate_key"),
    /** Set by a claim that found its rate window full (the window's end); cleared when claimed. */
    rateLimitedUntil: time("rate_limited_until"),
    /** Its starter's W3C trace context (JSON text); null = none. */
    traceContext: text("trace_context"),
    /** The task version it started on (`NewExecution.version`); null = unversioned. */
    version: text("version"),
  },
  (t) => [
    // The claim, in claim order: pending/waiting executions by `run_at`, running ones by lease expiry.
    index("zart_executions_due_idx").on(t.status, t.runAt, t.createdAt, t.executionId),
    // The same for prioritized executions only (few), higher priority first.
    index("zart_executions_priority_due_idx")
      .on(t.status, t.priority, t.runAt, t.createdAt, t.executionId)
      .where(sql`${t.priority} IS NOT NULL`),
    index("zart_executions_priority_lease_idx")
      .on(t.status, t.priority, t.leaseExpiresAt, t.createdAt, t.executionId)
      .where(sql`${t.priority} IS NOT NULL`),
    // Leases held per concurrency group (the limited claim counts them).
    index("zart_executions_concurrency_idx")
      .on(t.concurrencyKey, t.status, t.leaseExpiresAt)
      .where(sql`${t.concurrencyKey} IS NOT NULL`),
    index("zart_executions_lease_idx").on(t.status, t.leaseExpiresAt, t.createdAt, t.executionId),
    // Listing, newest first.
    index("zart_executions_created_idx").on(t.createdAt, t.executionId),
    // Newest first with a status or a task filter (and keyset pages of it): `created_at DESC` so
    // the order `created_at DESC, execution_id ASC` is the index order, no sort step.
    index("zart_executions_status_created_idx").on(t.status, sql`${t.createdAt} DESC`, t.executionId),
    index("zart_executions_task_created_idx").on(t.taskName, sql`${t.createdAt} DESC`, t.executionId),
    // A parent's children: `listExecutions({ parentId })`, cancel propagation and wake-ups.
    index("zart_executions_parent_idx")
      .on(t.parentId, t.createdAt, t.executionId)
      .where(sql`${t.parentId} IS NOT NULL`),
  ],
);

/** One row per history entry of an execution; parallel children carry their own lease. */
export const steps = sqliteTable(
  "zart_steps",
  {
    executionId: text("execution_id").notNull(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: STEP_KINDS }).notNull(),
    status: text("status", { enum: STEP_STATUSES }).notNull(),
    result: text("result"),
    error: text("error", { mode: "json" }).$type<SerializedError>(),
    attempts: integer("attempts").notNull().default(0),
    wakeAt: time("wake_at"),
    startedAt: time("started_at"),
    completedAt: time("completed_at"),
    /** Parallel children only: fencing token of the worker running it. */
    leaseToken: text("lease_token"),
    leaseExpiresAt: time("lease_expires_at"),
    /** Parallel children only: when it last became claimable (dispatch or release); orders claims. */
    dueAt: time("due_at"),
    /** An event wait answered by an offer: the offerer's trace context. */
    traceContext: text("trace_context"),
  },
  (t) => [
    primaryKey({ columns: [t.executionId, t.position] }),
    // The child claim, in claim order: pending children by due time, running ones by lease expiry.
    index("zart_steps_child_due_idx")
      .on(t.status, t.dueAt, t.executionId, t.position)
      .where(sql`${t.kind} = 'parallel'`),
    index("zart_steps_child_lease_idx")
      .on(t.status, t.leaseExpiresAt, t.executionId, t.position)
      .where(sql`${t.kind} = 'parallel'`),
  ],
);

/** The mailbox: offered events per execution, consumed oldest first per name. */
export const events = sqliteTable(
  "zart_events",
  {
    executionId: text("execution_id").notNull(),
    /** Offer order within the execution (1, 2, …). */
    sequence: integer("sequence").notNull(),
    eventName: text("event_name").notNull(),
    payload: text("payload").notNull(),
    idempotencyKey: text("idempotency_key"),
    offeredAt: time("offered_at").notNull(),
    consumedAt: time("consumed_at"),
    /** The offerer's trace context; null = none. */
    traceContext: text("trace_context"),
  },
  (t) => [
    primaryKey({ columns: [t.executionId, t.sequence] }),
    index("zart_events_mailbox_idx").on(t.executionId, t.eventName, t.sequence),
    uniqueIndex("zart_events_idempotency_idx").on(t.executionId, t.idempotencyKey),
  ],
);

export type ExecutionRow = typeof executions.$inferSelect;
export type ExecutionInsert = typeof executions.$inferInsert;
export type StepRow = typeof steps.$inferSelect;
export type StepInsert = typeof steps.$inferInsert;
export type EventRow = typeof events.$inferSelect;

/**
 * Run history: the runs an id had before a start replaced them, each a JSON snapshot of its
 * `ExecutionDetails` (execution, steps, mailbox) as it was, with the columns listed and purged by.
 */
export const runs = sqliteTable(
  "zart_runs",
  {
    executionId: text("execution_id").notNull(),
    run: integer("run").notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull(),
    taskName: text("task_name").notNull(),
    createdAt: time("created_at").notNull(),
    completedAt: time("completed_at"),
    details: text("details").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.executionId, t.run] }),
    // `purge`: archived runs by completion time.
    index("zart_runs_completed_idx").on(t.completedAt),
  ],
);

export type RunRow = typeof runs.$inferSelect;

/**
 * Schedules (`durable.schedules`): the engine's JSON `body` (definition and fire state) plus the
 * columns queried: the task name and `due_at` (null = paused or ended). `version` guards every write.
 */
export const schedules = sqliteTable(
  "zart_schedules",
  {
    scheduleId: text("schedule_id").primaryKey(),
    taskName: text("task_name").notNull(),
    dueAt: time("due_at"),
    version: integer("version").notNull(),
    body: text("body").notNull(),
  },
  (t) => [index("zart_schedules_due_idx").on(t.dueAt).where(sql`${t.dueAt} IS NOT NULL`)],
);

export type ScheduleRow = typeof schedules.$inferSelect;

/** The worker registry: one row per running worker, upserted by its heartbeats. */
export const workers = sqliteTable("zart_workers", {
  workerId: text("worker_id").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  /** JSON array of task names. */
  taskNames: text("task_names").notNull(),
  concurrency: integer("concurrency").notNull(),
  leaseMs: integer("lease_ms").notNull(),
  startedAt: time("started_at").notNull(),
  heartbeatAt: time("heartbeat_at").notNull(),
});

export type WorkerRow = typeof workers.$inferSelect;

/**
 * Debounce holders (`start(..., { debounce })`): per (task, key), the execution run that collapses
 * the starts and how many it collapsed. A row is honoured only while that run is `pending` and was
 * never claimed, so claims, cancels and replacements need not touch it (a later start takes it over).
 */
export const debounces = sqliteTable(
  "zart_debounces",
  {
    taskName: text("task_name").notNull(),
    debounceKey: text("debounce_key").notNull(),
    executionId: text("execution_id").notNull(),
    run: integer("run").notNull(),
    starts: integer("starts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskName, t.debounceKey] })],
);
/** Pause rules (`durable.pauseRules`): few rows, read whole by each worker once per poll interval. */
export const pauseRules = sqliteTable("zart_pause_rules", {
  ruleId: text("rule_id").primaryKey(),
  taskName: text("task_name").notNull(),
  /** Null = every execution of the task. */
  stepName: text("step_name"),
  createdAt: time("created_at").notNull(),
  /** Null = until deleted. */
  expiresAt: time("expires_at"),
});

export type PauseRuleRow = typeof pauseRules.$inferSelect;
/** Starts counted per rate-limit key and fixed window (the rate-limited claim). */
export const rateWindows = sqliteTable(
  "zart_rate_windows",
  {
    key: text("key").notNull(),
    windowStart: integer("window_start").notNull(),
    /** Its end (epoch ms), when the row can be deleted. */
    windowEnd: integer("window_end").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.windowStart] }),
    index("zart_rate_windows_end_idx").on(t.windowEnd),
  ],
);
