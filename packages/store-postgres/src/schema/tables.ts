import { EXECUTION_STATUSES, STEP_KINDS, STEP_STATUSES, sqlList, TERMINAL_STATUSES } from "@zart/core/store";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Every timestamp is `timestamptz`, read and written as a JS `Date` (millisecond precision). */
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

const TERMINAL = sql.raw(`(${sqlList(TERMINAL_STATUSES)})`);

/**
 * The tables of one Zart schema (default `zart`). Built by a factory because the schema name is
 * an option: the migrations are generated from `createTables("zart")` and the name is substituted
 * when they are applied (see `migrate/migrator.ts`).
 *
 * - `executions`: one row per execution id, holding the lease (`lease_token` is the fencing token).
 *   `due_at` is generated: when the row is claimable (pending/waiting → `run_at`, running → the
 *   lease's expiry, otherwise NULL), so one partial index serves the claim.
 * - `steps`: the history, one row per (execution, position). Parallel children are step rows with
 *   their own lease and a generated `due_at` (pending → `ready_at`, running → lease expiry).
 * - `events`: the mailbox, FIFO per (execution, name) by `sequence`; idempotency keys are unique
 *   per execution.
 * - `runs`: run history, the finished runs an execution id had before its current one.
 * - `zart_migrations` is created by the migrator itself, not declared here.
 */
export function createTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const executions = schema.table(
    "executions",
    {
      executionId: text("execution_id").primaryKey(),
      /** Run number of this id: a start that replaces a terminal execution begins run + 1. */
      run: integer("run").notNull().default(1),
      taskName: text("task_name").notNull(),
      payload: text("payload").notNull(),
      status: text("status").notNull(),
      result: text("result"),
      error: jsonb("error"),
      data: text("data"),
      attempt: integer("attempt").notNull().default(0),
      runAt: at("run_at"),
      timeoutAt: at("timeout_at"),
      waitReason: text("wait_reason"),
      waitEvent: text("wait_event"),
      /** The execution that started this one with `ctx.startChild`; null for a top-level execution. */
      parentId: text("parent_id"),
      /** Child executions only: true when a cancel of the parent does not reach it. */
      detached: boolean("detached"),
      /** A rerun (`forkExecution`): the execution it was forked from, and the step it starts at. */
      rerunOf: text("rerun_of"),
      rerunFromStep: text("rerun_from_step"),
      scheduledAt: at("scheduled_at").notNull(),
      createdAt: at("created_at").notNull(),
      startedAt: at("started_at"),
      completedAt: at("completed_at"),
      leaseOwner: text("lease_owner"),
      leaseToken: text("lease_token"),
      leaseExpiresAt: at("lease_expires_at"),
      /** The token of the lease whose holder's own write cleared it (recognizes a retried final write). */
      releasedBy: text("released_by"),
      /** Offers accepted so far: the next event's sequence, and the version `awaitEvent` checks. */
      eventCount: integer("event_count").notNull().default(0),
      /** Parallel children not yet settled; the settle that brings it to 0 wakes the parent. */
      unsettledChildren: integer("unsettled_children").notNull().default(0),
      /** Claim order, higher first; NULL = 0, so unprioritized work keeps `executions_due_idx`. */
      priority: integer("priority"),
      /** The concurrency group it counts in (`ClaimRequest.concurrencyLimits`); NULL = none. */
      concurrencyKey: text("concurrency_key"),
      /** The rate-limit group its start counts in (`ClaimRequest.rateLimits`); NULL = none. */
      rateKey: text("rate_key"),
      /** Set by a claim that found its rate window full (the window's end); cleared when claimed. */
      rateLimitedUntil: at("rate_limited_until"),
      /** Its starter's W3C trace context (JSON text); NULL = none. */
      traceContext: text("trace_context"),
      /** The task version it started on (`NewExecution.version`); NULL = unversioned. */
      version: text("version"),
      dueAt: at("due_at").generatedAlwaysAs(
        sql`CASE WHEN status IN ('pending', 'waiting') THEN run_at WHEN status = 'running' THEN lease_expires_at END`,
      ),
    },
    (t) => [
      index("executions_due_idx").on(t.dueAt, t.executionId).where(sql`due_at IS NOT NULL`),
      // The claim of prioritized executions (few), in claim order: higher priority, then oldest due.
      index("executions_priority_due_idx")
        .on(t.priority.desc(), t.dueAt, t.executionId)
        .where(sql`priority IS NOT NULL AND due_at IS NOT NULL`),
      // Leases held per concurrency group (the limited claim counts them).
      index("executions_concurrency_running_idx")
        .on(t.concurrencyKey, t.leaseExpiresAt)
        .where(sql`concurrency_key IS NOT NULL AND status = 'running'`),
      index("executions_created_idx").on(t.createdAt.desc().nullsFirst(), t.executionId),
      index("executions_status_created_idx").on(t.status, t.createdAt.desc().nullsFirst(), t.executionId),
      index("executions_task_created_idx").on(t.taskName, t.createdAt.desc().nullsFirst(), t.executionId),
      index("executions_parent_created_idx")
        .on(t.parentId, t.createdAt.desc().nullsFirst(), t.executionId)
        .where(sql`parent_id IS NOT NULL`),
      // `listExecutions({ version })`: versioned executions only.
      index("executions_version_created_idx")
        .on(t.version, t.createdAt.desc().nullsFirst(), t.executionId)
        .where(sql`version IS NOT NULL`),
      // `listExecutions({ queue })`: a range of keys in binary order (see `queueKeyRange`).
      index("executions_queue_created_idx")
        .on(sql`concurrency_key COLLATE "C"`, t.createdAt.desc().nullsFirst(), t.executionId)
        .where(sql`concurrency_key IS NOT NULL`),
      index("executions_completed_idx").on(t.completedAt).where(sql`status IN ${TERMINAL}`),
      check("executions_status_check", sql.raw(`status IN (${sqlList(EXECUTION_STATUSES)})`)),
    ],
  );

  const steps = schema.table(
    "steps",
    {
      executionId: text("execution_id")
        .notNull()
        .references(() => executions.executionId, { onDelete: "cascade" }),
      position: integer("position").notNull(),
      name: text("name").notNull(),
      kind: text("kind").notNull(),
      status: text("status").notNull(),
      result: text("result"),
      error: jsonb("error"),
      attempts: integer("attempts").notNull().default(0),
      wakeAt: at("wake_at"),
      startedAt: at("started_at"),
      completedAt: at("completed_at"),
      /** Parallel children: when the child last became claimable (dispatch or release). */
      readyAt: at("ready_at"),
      leaseOwner: text("lease_owner"),
      leaseToken: text("lease_token"),
      leaseExpiresAt: at("lease_expires_at"),
      /** Parallel children: the token whose holder settled or released the child. */
      releasedBy: text("released_by"),
      /** An event wait answered by an offer: the offerer's trace context. */
      traceContext: text("trace_context"),
      dueAt: at("due_at").generatedAlwaysAs(
        sql`CASE WHEN kind <> 'parallel' THEN NULL WHEN status = 'pending' THEN ready_at WHEN status = 'running' THEN lease_expires_at END`,
      ),
    },
    (t) => [
      primaryKey({ columns: [t.executionId, t.position] }),
      index("steps_due_idx").on(t.dueAt, t.executionId, t.position).where(sql`due_at IS NOT NULL`),
      check("steps_status_check", sql.raw(`status IN (${sqlList(STEP_STATUSES)})`)),
      check("steps_kind_check", sql.raw(`kind IN (${sqlList(STEP_KINDS)})`)),
    ],
  );

  const events = schema.table(
    "events",
    {
      executionId: text("execution_id")
        .notNull()
        .references(() => executions.executionId, { onDelete: "cascade" }),
      sequence: integer("sequence").notNull(),
      eventName: text("event_name").notNull(),
      payload: text("payload").notNull(),
      idempotencyKey: text("idempotency_key"),
      offeredAt: at("offered_at").notNull(),
      consumedAt: at("consumed_at"),
      /** The offerer's trace context; NULL = none. */
      traceContext: text("trace_context"),
    },
    (t) => [
      primaryKey({ columns: [t.executionId, t.sequence] }),
      uniqueIndex("events_idempotency_idx")
        .on(t.executionId, t.idempotencyKey)
        .where(sql`idempotency_key IS NOT NULL`),
      index("events_unconsumed_idx")
        .on(t.executionId, t.eventName, t.sequence)
        .where(sql`consumed_at IS NULL`),
    ],
  );

  /**
   * `schedules`: the engine's JSON `body` (definition and fire state) plus the queried columns:
   * task name and `due_at` (NULL = paused or ended); `version` guards every write.
   */
  const schedules = schema.table(
    "schedules",
    {
      scheduleId: text("schedule_id").primaryKey(),
      taskName: text("task_name").notNull(),
      dueAt: at("due_at"),
      version: integer("version").notNull(),
      body: text("body").notNull(),
    },
    (t) => [index("schedules_due_idx").on(t.dueAt, t.scheduleId).where(sql`due_at IS NOT NULL`)],
  );

  /**
   * `runs`: a start that replaces a terminal execution archives it here in the same statement
   * (`sql/replace-run.ts`): its summary columns and `details`, the record, steps and mailbox as
   * `to_jsonb` rows. Purge deletes old runs by `completed_at`, and every run of a purged id.
   */
  const runs = schema.table(
    "runs",
    {
      executionId: text("execution_id").notNull(),
      run: integer("run").notNull(),
      status: text("status").notNull(),
      taskName: text("task_name").notNull(),
      createdAt: at("created_at").notNull(),
      completedAt: at("completed_at"),
      details: jsonb("details").notNull(),
    },
    (t) => [primaryKey({ columns: [t.executionId, t.run] }), index("runs_completed_idx").on(t.completedAt)],
  );

  /** `workers`: the worker registry, one row per running worker, upserted by its heartbeats. */
  const workers = schema.table("workers", {
    workerId: text("worker_id").primaryKey(),
    host: text("host").notNull(),
    pid: integer("pid").notNull(),
    taskNames: text("task_names").array().notNull(),
    concurrency: integer("concurrency").notNull(),
    leaseMs: integer("lease_ms").notNull(),
    startedAt: at("started_at").notNull(),
    heartbeatAt: at("heartbeat_at").notNull(),
  });

  /**
   * `debounces`: per (task, key) of `start(..., { debounce })`, the execution run that collapses the
   * starts and how many it collapsed. Honoured only while that run is `pending` and never claimed,
   * so claims, cancels and replacements need not touch it (a later start takes the row over).
   */
  const debounces = schema.table(
    "debounces",
    {
      taskName: text("task_name").notNull(),
      debounceKey: text("debounce_key").notNull(),
      executionId: text("execution_id").notNull(),
      run: integer("run").notNull(),
      starts: integer("starts").notNull(),
    },
    (t) => [primaryKey({ columns: [t.taskName, t.debounceKey] })],
  );

  /** `pause_rules`: operators' pause rules, read whole by each worker once per poll interval. */
  const pauseRules = schema.table("pause_rules", {
    ruleId: text("rule_id").primaryKey(),
    taskName: text("task_name").notNull(),
    /** Null = every execution of the task. */
    stepName: text("step_name"),
    createdAt: at("created_at").notNull(),
    /** Null = until deleted. */
    expiresAt: at("expires_at"),
  });

  /** `rate_windows`: starts counted per rate-limit key and fixed window (the rate-limited claim). */
  const rateWindows = schema.table(
    "rate_windows",
    {
      key: text("key").notNull(),
      windowStart: at("window_start").notNull(),
      /** Its end, when the row can be deleted. */
      windowEnd: at("window_end").notNull(),
      count: integer("count").notNull(),
    },
    (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_windows_end_idx").on(t.windowEnd)],
  );

  return { schema, executions, steps, events, schedules, runs, workers, debounces, pauseRules, rateWindows };
}

/** The tables of one schema, as `createTables` builds them. */
export type ZartTables = ReturnType<typeof createTables>;
