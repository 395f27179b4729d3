import type {
  DueSchedulesRequest,
  ScheduleListFilter,
  ScheduleWrite,
  StoredSchedule,
} from "@zart/core/store";
import { ScheduleAlreadyExistsError } from "@zart/core/store";
import { type Database, statement } from "../db/database.js";
import type { WakeUps } from "../wake-ups/wake-ups.js";

interface ScheduleRow {
  schedule_id: string;
  task_name: string;
  due_at: Date | null;
  version: number;
  body: string;
}

function toStored(row: ScheduleRow): StoredSchedule {
  return {
    scheduleId: row.schedule_id,
    taskName: row.task_name,
    ...(row.due_at ? { dueAt: row.due_at } : {}),
    version: row.version,
    body: row.body,
  };
}

const createSql = statement(
  "create-schedule",
  (n) => `
  INSERT INTO ${n.schedules} (schedule_id, task_name, due_at, version, body) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (schedule_id) DO NOTHING RETURNING schedule_id`,
);

/**
 * Compare-and-set and the fires' executions in one statement.
 *
 * Locking: the UPDATE takes the schedule's row lock; a racing writer over the same version waits,
 * then re-checks `version = $6` on the committed row, matches nothing, and its INSERT (which reads
 * from the UPDATE's result) inserts nothing. Executions are inserted `ON CONFLICT DO NOTHING`: an
 * id that exists, whatever its status, is left as it is. Each insert sends a `created` NOTIFY at commit.
 */
const writeSql = statement(
  "write-schedule",
  (n) => `
  WITH upd AS (
    UPDATE ${n.schedules} SET task_name = $2, due_at = $3, version = $4, body = $5
    WHERE schedule_id = $1 AND version = $6
    RETURNING schedule_id
  ), ins AS (
    INSERT INTO ${n.executions}
      (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at, version,
        priority, concurrency_key, trace_context, rate_key)
    SELECT f.id, f.task, f.payload, 'pending', 0, f.run_at, f.run_at, $7, f.version, f.priority,
      f.concurrency_key, f.trace_context, f.rate_key
    FROM upd, unnest($8::text[], $9::text[], $10::text[], $11::timestamptz[], $14::text[], $15::int[],
        $16::text[], $17::text[], $18::text[])
      AS f(id, task, payload, run_at, version, priority, concurrency_key, trace_context, rate_key)
    ON CONFLICT (execution_id) DO NOTHING
    RETURNING execution_id
  )
  SELECT (SELECT count(*) FROM upd)::int AS written,
    (SELECT coalesce(array_agg(execution_id), '{}') FROM ins) AS created,
    (SELECT count(pg_notify($12, json_build_object('r', 'created', 'e', execution_id, 's', $13::text)::text))
      FROM ins) AS notified`,
);

const deleteSql = statement(
  "delete-schedule",
  (n) => `DELETE FROM ${n.schedules} WHERE schedule_id = $1 RETURNING schedule_id`,
);

const getSql = statement("get-schedule", (n) => `SELECT * FROM ${n.schedules} WHERE schedule_id = $1`);

const listSql = statement(
  "list-schedules",
  (n) => `SELECT * FROM ${n.schedules} ORDER BY schedule_id LIMIT $1 OFFSET $2`,
);

const dueSql = statement(
  "due-schedules",
  (n) => `
  SELECT * FROM ${n.schedules}
  WHERE due_at IS NOT NULL AND due_at <= $1 AND task_name = ANY($2::text[])
  ORDER BY due_at, schedule_id LIMIT $3`,
);

export async function createSchedule(db: Database, schedule: StoredSchedule): Promise<void> {
  const { rows } = await db.run(createSql, [
    schedule.scheduleId,
    schedule.taskName,
    schedule.dueAt ?? null,
    schedule.version,
    schedule.body,
  ]);
  if (rows.length === 0) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
}

/** Compare-and-set on `version` with the fires' executions, in one statement; false on a mismatch. */
export async function writeSchedule(
  db: Database,
  wakeUps: WakeUps,
  write: ScheduleWrite,
  now: Date,
): Promise<boolean> {
  const notify = wakeUps.sender;
  const { schedule, start } = write;
  const { rows } = await db.run<{ written: number; created: string[] }>(writeSql, [
    schedule.scheduleId,
    schedule.taskName,
    schedule.dueAt ?? null,
    schedule.version,
    schedule.body,
    write.expectedVersion,
    now,
    start.map((s) => s.executionId),
    start.map((s) => s.taskName),
    start.map((s) => s.payload),
    start.map((s) => s.runAt),
    notify.channel,
    notify.sender,
    start.map((s) => s.version ?? null),
    start.map((s) => s.priority ?? null),
    start.map((s) => s.concurrencyKey ?? null),
    start.map((s) => s.traceContext ?? null),
    start.map((s) => s.rateKey ?? null),
  ]);
  const row = rows[0];
  if (!row || row.written === 0) return false;
  for (const id of row.created) wakeUps.emit("created", id);
  return true;
}

export async function deleteSchedule(db: Database, scheduleId: string): Promise<boolean> {
  return ((await db.run(deleteSql, [scheduleId])).rowCount ?? 0) > 0;
}

export async function getSchedule(db: Database, scheduleId: string): Promise<StoredSchedule | undefined> {
  const row = (await db.run<ScheduleRow>(getSql, [scheduleId])).rows[0];
  return row && toStored(row);
}

export async function listSchedules(db: Database, filter: ScheduleListFilter): Promise<StoredSchedule[]> {
  return (await db.run<ScheduleRow>(listSql, [filter.limit, filter.offset])).rows.map(toStored);
}

export async function dueSchedules(db: Database, request: DueSchedulesRequest): Promise<StoredSchedule[]> {
  if (request.taskNames.length === 0) return [];
  const { rows } = await db.run<ScheduleRow>(dueSql, [request.now, [...request.taskNames], request.limit]);
  return rows.map(toStored);
}
