/**
 * The Postgres claim's plan on a large table (see `README.md` here): a schema of its own holds
 * `ROWS` executions (default 1,000,000), all but `DUE` of them finished with one step each, the
 * rest pending and due. A claim of 64 through the store is captured from the pool, then run again
 * under `EXPLAIN (ANALYZE, BUFFERS)` in a transaction that is rolled back; prints the plan.
 */
import { PostgresScheduler } from "@zart/store-postgres";
import pg from "pg";

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const DUE = Number(process.env.DUE ?? 10_000);
const SCHEMA = "claim_plan";
const url = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const pool = new pg.Pool({ connectionString: url, max: 4 });
await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
let captured: { text: string; values: unknown[] } | undefined;
const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
// The store sends named statements as `{ name, text, values }`: keep the claim's.
(pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args) => {
  const config = args[0] as { text?: string; values?: unknown[] };
  if (config?.text?.includes("claimed_execution"))
    captured = { text: config.text, values: config.values ?? [] };
  return query(...args);
};
const store = new PostgresScheduler({ pool, schema: SCHEMA });
await store.migrate();

const t0 = performance.now();
await pool.query(`INSERT INTO ${SCHEMA}.executions (execution_id, task_name, payload, status, run_at, scheduled_at,
    created_at, started_at, completed_at, result, attempt)
  SELECT 'e-' || i, 'three-steps', '{}', CASE WHEN i <= ${ROWS - DUE} THEN 'completed' ELSE 'pending' END,
    now() - interval '1 day', now() - interval '1 day', now() - interval '1 day' + i * interval '1 ms',
    CASE WHEN i <= ${ROWS - DUE} THEN now() - interval '1 day' END,
    CASE WHEN i <= ${ROWS - DUE} THEN now() - interval '1 day' END,
    CASE WHEN i <= ${ROWS - DUE} THEN 'null' END, 0
  FROM generate_series(1, ${ROWS}) i`);
await pool.query(`INSERT INTO ${SCHEMA}.steps (execution_id, position, name, kind, status, result, attempts,
    started_at, completed_at)
  SELECT 'e-' || i, 0, 'one', 'step', 'completed', 'null', 1, now() - interval '1 day', now() - interval '1 day'
  FROM generate_series(1, ${ROWS - DUE}) i`);
await pool.query("VACUUM ANALYZE");
console.log(`loaded ${ROWS} executions (${DUE} due) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const request = { workerId: "plan", taskNames: ["three-steps"], limit: 64, leaseMs: 30_000, now: new Date() };
const claimed = await store.claim(request);
if (!captured) throw new Error("the claim statement was not seen on the pool");
console.log(`a claim through the store took ${claimed.length} units`);

const client = await pool.connect();
try {
  await client.query("BEGIN");
  const { rows } = await client.query(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${captured.text}`,
    captured.values,
  );
  for (const row of rows) console.log(row["QUERY PLAN"]);
  await client.query("ROLLBACK");
} finally {
  client.release();
}
await store.close();
await pool.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
await pool.end();
