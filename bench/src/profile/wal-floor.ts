/**
 * WAL bytes per one-step job for three write designs on the same Postgres (see `README.md` here):
 * today's single execution row (claim update, step insert, completion update), a narrow queue row
 * (due time, lease) beside an execution row written only at start and end, and a job queue's
 * lock-and-delete (graphile-worker's shape). Same columns and indexes as the store's tables, batches
 * of 32 as the coalesced writes send them, in a database of its own (`walfloor`, recreated).
 * Issue 20's question: how far a narrower hot table could take zart-postgres toward a job queue.
 */
import pg from "pg";

const N = Number(process.env.N ?? 20_000);
const BATCH = 32;
const serverUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query("DROP DATABASE IF EXISTS walfloor");
await admin.query("CREATE DATABASE walfloor");
await admin.end();
const dbUrl = new URL(serverUrl);
dbUrl.pathname = "/walfloor";
const db = new pg.Client({ connectionString: dbUrl.toString() });
await db.connect();

async function lsn(): Promise<bigint> {
  const { rows } = await db.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn AS b");
  return BigInt(rows[0].b);
}

const COLUMNS = `
  execution_id text NOT NULL PRIMARY KEY, task_name text NOT NULL, payload text NOT NULL, status text NOT NULL,
  result text, error jsonb, data text, attempt integer NOT NULL DEFAULT 0, run_at timestamptz, timeout_at timestamptz,
  wait_reason text, wait_event text, scheduled_at timestamptz NOT NULL, created_at timestamptz NOT NULL,
  started_at timestamptz, completed_at timestamptz, lease_owner text, lease_token text, lease_expires_at timestamptz,
  event_count integer NOT NULL DEFAULT 0, unsettled_children integer NOT NULL DEFAULT 0,
  released_by text, priority integer, parent_id text, detached boolean, concurrency_key text, rerun_of text,
  rerun_from_step text, run integer NOT NULL DEFAULT 1, trace_context text, version text, rate_key text,
  rate_limited_until timestamptz`;
const DUE = `, due_at timestamptz GENERATED ALWAYS AS (CASE WHEN status IN ('pending','waiting') THEN run_at
  WHEN status = 'running' THEN lease_expires_at END) STORED`;
const LISTING = (t: string) => `
  CREATE INDEX ON ${t} (completed_at) WHERE status IN ('completed','failed','cancelled');
  CREATE INDEX ON ${t} (created_at DESC, execution_id);
  CREATE INDEX ON ${t} (status, created_at DESC, execution_id);
  CREATE INDEX ON ${t} (task_name, created_at DESC, execution_id);
  CREATE INDEX ON ${t} (parent_id, created_at DESC, execution_id) WHERE parent_id IS NOT NULL;
  CREATE INDEX ON ${t} (version, created_at DESC, execution_id) WHERE version IS NOT NULL;
  CREATE INDEX ON ${t} (concurrency_key COLLATE "C", created_at DESC, execution_id) WHERE concurrency_key IS NOT NULL;`;
const STEPS = (
  t: string,
) => `CREATE TABLE ${t} (execution_id text NOT NULL, position integer NOT NULL, name text NOT NULL,
  kind text NOT NULL, status text NOT NULL, result text, error jsonb, attempts integer NOT NULL DEFAULT 0,
  wake_at timestamptz, started_at timestamptz, completed_at timestamptz, ready_at timestamptz, lease_owner text,
  lease_token text, lease_expires_at timestamptz, released_by text, trace_context text,
  due_at timestamptz GENERATED ALWAYS AS (CASE WHEN kind <> 'parallel' THEN NULL WHEN status = 'pending' THEN ready_at
    WHEN status = 'running' THEN lease_expires_at END) STORED, PRIMARY KEY (execution_id, position));
  CREATE INDEX ON ${t} (due_at, execution_id, position) WHERE due_at IS NOT NULL;`;

async function preload(table: string, queue?: string): Promise<void> {
  await db.query(`INSERT INTO ${table} (execution_id, task_name, payload, status, run_at, scheduled_at, created_at)
    SELECT 'job-' || i, 'one-step', '{"id":"job-' || i || '"}', 'pending', now(), now(), now() + i * interval '1 microsecond'
    FROM generate_series(1, ${N}) i`);
  if (queue) {
    await db.query(
      `INSERT INTO ${queue} (execution_id, due_at) SELECT 'job-' || i, now() FROM generate_series(1, ${N}) i`,
    );
  }
  await db.query("VACUUM ANALYZE");
  await db.query("CHECKPOINT");
}

type Batch = (ids: string[]) => Promise<void>;

/** A batch of one statement taking the ids as `$1`. */
const statement =
  (sql: string): Batch =>
  async (ids) => {
    await db.query(sql, [ids]);
  };

async function measure(name: string, claim: Batch, step: Batch, complete: Batch): Promise<void> {
  const parts = { claim: 0n, step: 0n, complete: 0n };
  for (let i = 1; i <= N; i += BATCH) {
    const ids = Array.from({ length: Math.min(BATCH, N - i + 1) }, (_, k) => `job-${i + k}`);
    for (const [part, fn] of [
      ["claim", claim],
      ["step", step],
      ["complete", complete],
    ] as const) {
      const before = await lsn();
      await fn(ids);
      parts[part] += (await lsn()) - before;
    }
  }
  const per = (b: bigint) => Math.round(Number(b) / N);
  const total = per(parts.claim + parts.step + parts.complete);
  console.log(
    `${name}: ${total} WAL bytes/job (claim ${per(parts.claim)}, step ${per(parts.step)}, complete ${per(parts.complete)})`,
  );
}

const stepInsert = (steps: string, lockTable: string) => async (ids: string[]) => {
  await db.query("BEGIN");
  await db.query(`SELECT 1 FROM ${lockTable} WHERE execution_id = ANY($1) ORDER BY execution_id FOR UPDATE`, [
    ids,
  ]);
  await db.query(
    `INSERT INTO ${steps} (execution_id, position, name, kind, status, result, attempts, started_at, completed_at)
     SELECT id, 0, 'work', 'step', 'completed', 'null', 1, now(), now() FROM unnest($1::text[]) id`,
    [ids],
  );
  await db.query("COMMIT");
};

// Today's design: one wide row per execution carries the queue (due_at) and the catalogue.
await db.query(`CREATE TABLE cur (${COLUMNS}${DUE});
  CREATE INDEX ON cur (due_at, execution_id) WHERE due_at IS NOT NULL;
  CREATE INDEX ON cur (priority DESC NULLS LAST, due_at, execution_id) WHERE priority IS NOT NULL AND due_at IS NOT NULL;
  CREATE INDEX ON cur (concurrency_key, lease_expires_at) WHERE concurrency_key IS NOT NULL AND status = 'running';
  ${LISTING("cur")} ${STEPS("cur_steps")}`);
await preload("cur");
await measure(
  "today (one wide row)",
  statement(
    `UPDATE cur SET status = 'running', lease_owner = 'w', lease_token = gen_random_uuid()::text,
       lease_expires_at = now() + interval '30 s', started_at = COALESCE(started_at, now()), wait_reason = NULL,
       wait_event = NULL, rate_limited_until = NULL WHERE execution_id = ANY($1)`,
  ),
  stepInsert("cur_steps", "cur"),
  statement(
    `UPDATE cur SET status = 'completed', result = 'null', error = NULL, completed_at = now(), wait_reason = NULL,
       wait_event = NULL, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE execution_id = ANY($1)`,
  ),
);

// A split: a narrow queue row (due time, lease) beside a catalogue row written at start and end;
// "running" derived from the queue row, so the claim does not touch the catalogue.
await db.query(`CREATE TABLE cat (${COLUMNS}); ${LISTING("cat")} ${STEPS("cat_steps")}
  CREATE TABLE q (execution_id text PRIMARY KEY, due_at timestamptz NOT NULL, priority integer,
    lease_owner text, lease_token text);
  CREATE INDEX ON q (due_at, execution_id);`);
await preload("cat", "q");
await measure(
  "split (narrow queue row + catalogue)",
  statement(
    `UPDATE q SET lease_owner = 'w', lease_token = gen_random_uuid()::text, due_at = now() + interval '30 s'
       WHERE execution_id = ANY($1)`,
  ),
  stepInsert("cat_steps", "q"),
  async (ids) => {
    await db.query("BEGIN");
    await db.query("DELETE FROM q WHERE execution_id = ANY($1)", [ids]);
    await db.query(
      `UPDATE cat SET status = 'completed', result = 'null', started_at = now(), completed_at = now()
       WHERE execution_id = ANY($1)`,
      [ids],
    );
    await db.query("COMMIT");
  },
);

// A job queue's floor (graphile-worker's shape): one narrow row, locked, then deleted.
await db.query(`CREATE TABLE jobs (id bigserial PRIMARY KEY, key text UNIQUE, task_identifier text NOT NULL,
  payload json NOT NULL, priority smallint NOT NULL DEFAULT 0, run_at timestamptz NOT NULL DEFAULT now(),
  attempts smallint NOT NULL DEFAULT 0, max_attempts smallint NOT NULL DEFAULT 25, locked_at timestamptz,
  locked_by text, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX ON jobs (priority, run_at, id) WHERE locked_at IS NULL;`);
await db.query(`INSERT INTO jobs (key, task_identifier, payload) SELECT 'job-' || i, 'one-step',
  json_build_object('id', 'job-' || i) FROM generate_series(1, ${N}) i`);
await db.query("VACUUM ANALYZE");
await db.query("CHECKPOINT");
await measure(
  "job queue (lock + delete)",
  statement(
    "UPDATE jobs SET locked_at = now(), locked_by = 'w', attempts = attempts + 1 WHERE key = ANY($1)",
  ),
  async () => undefined,
  statement("DELETE FROM jobs WHERE key = ANY($1)"),
);
await db.end();
const cleanup = new pg.Client({ connectionString: serverUrl });
await cleanup.connect();
await cleanup.query("DROP DATABASE walfloor");
await cleanup.end();
