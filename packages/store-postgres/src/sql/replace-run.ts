import { StoreUnavailableError } from "@zart/core";
import type { SchemaNames } from "../db/names.js";
import { TERMINAL } from "./fragments.js";

/**
 * The CTEs that let a start statement replace a terminal execution `$1` as its next run, archiving
 * the finished run (record, steps and mailbox as one `details` snapshot) in `runs` — run history.
 *
 * `seen` is the row in the statement's snapshot; `locked` takes its row lock and reads its newest
 * version (READ COMMITTED). The archive is read from the snapshot, so it is only written when the
 * two are the same version (`xmin`): otherwise `verdict` is `conflict`, the statement changes
 * nothing and is run again (see `startRun`), whose new snapshot sees the commit it waited for.
 * Steps and events of a terminal execution no longer change, so the snapshot's are its last.
 *
 * `verdict`: `insert` (no row), `replace` (terminal: archive it, the new row is run `run`),
 * `live` (`ExecutionAlreadyExistsError`) or `conflict`. The start's upsert inserts FROM `verdict`
 * with `run` and replaces only `WHERE e.status IN terminal AND excluded.run = e.run + 1`: so a
 * row inserted by a racing start after our snapshot (`insert` verdict, `run` 1) is never
 * overwritten unarchived; the upsert then returns nothing and the start runs again too.
 */
export function replaceRunCtes(n: SchemaNames): string {
  return `seen AS (
    SELECT e.xmin::text AS version, e.* FROM ${n.executions} e WHERE e.execution_id = $1
  ), locked AS (
    SELECT e.xmin::text AS version, e.status FROM ${n.executions} e WHERE e.execution_id = $1 FOR UPDATE
  ), verdict AS (
    SELECT CASE
        WHEN l.version IS NULL THEN 'insert'
        WHEN l.version IS DISTINCT FROM s.version THEN 'conflict'
        WHEN l.status IN ${TERMINAL} THEN 'replace'
        ELSE 'live'
      END AS verdict,
      CASE WHEN l.status IN ${TERMINAL} THEN s.run + 1 ELSE 1 END AS run
    FROM (SELECT 1) one LEFT JOIN locked l ON true LEFT JOIN seen s ON true
  ), archived AS (
    INSERT INTO ${n.runs} (execution_id, run, status, task_name, created_at, completed_at, details)
    SELECT s.execution_id, s.run, s.status, s.task_name, s.created_at, s.completed_at,
      jsonb_build_object(
        'execution', to_jsonb(s) - 'version',
        'steps', (SELECT coalesce(jsonb_agg(to_jsonb(st) ORDER BY st.position), '[]'::jsonb)
          FROM ${n.steps} st WHERE st.execution_id = $1),
        'events', (SELECT coalesce(jsonb_agg(to_jsonb(ev) ORDER BY ev.sequence), '[]'::jsonb)
          FROM ${n.events} ev WHERE ev.execution_id = $1))
    FROM seen s, verdict v WHERE v.verdict = 'replace'
  )`;
}

/** The upsert's guard against overwriting a row it did not archive (see `replaceRunCtes`). */
export const REPLACES_ARCHIVED = `e.status IN ${TERMINAL} AND excluded.run = e.run + 1`;

/** What a start statement returns: its `verdict`, and the id when it wrote the row. */
export interface StartRow {
  verdict: "insert" | "replace" | "live" | "conflict";
  execution_id: string | null;
}

/** Re-runs allowed when a start races a change of the same id (each needs a commit meanwhile). */
const MAX_CONFLICTS = 50;

/**
 * Runs a start statement until it decided on a current snapshot: the row it wrote, or `undefined`
 * when a live execution holds the id.
 */
export async function startRun<R extends StartRow>(
  executionId: string,
  run: () => Promise<R | undefined>,
): Promise<R | undefined> {
  for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
    const row = await run();
    if (row === undefined || row.verdict === "live") return undefined;
    if (row.execution_id !== null) return row;
  }
  throw new StoreUnavailableError(`Starting "${executionId}" kept racing concurrent changes; retry.`);
}
