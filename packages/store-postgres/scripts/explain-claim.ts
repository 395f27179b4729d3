/**
 * Prints the claim statement's plan on 100k finished executions (500k step rows) plus 200 due
 * ones, for the README. Works in a scratch schema that it drops afterwards.
 *
 *   node --import tsx --conditions=source scripts/explain-claim.ts [postgres-url]
 */
import pg from "pg";
import { schemaNames } from "../src/db/names.js";
import { PostgresScheduler } from "../src/index.js";
import { claimSql } from "../src/verbs/claim.js";

const url =
  process.argv[2] ?? process.env.ZART_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `explain_${Date.now().toString(36)}`;
const n = schemaNames(schema);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const scheduler = new PostgresScheduler({ pool, schema });
try {
  await scheduler.migrate();
  const t0 = "2030-01-01T00:00:00Z";
  await pool.query(
    `
    INSERT INTO ${n.executions} (execution_id, task_name, payload, status, result, attempt, run_at,
      scheduled_at, created_at, started_at, completed_at)
    SELECT 'done-' || i, 'task-' || (i % 10), '{}', 'completed', '"ok"', 0, $1::timestamptz,
      $1::timestamptz, $1::timestamptz + i * interval '1 ms', $1::timestamptz, $1::timestamptz + interval '1 day'
    FROM generate_series(1, 100000) AS i`,
    [t0],
  );
  await pool.query(
    `
    INSERT INTO ${n.steps} (execution_id, position, name, kind, status, result, attempts, started_at, completed_at)
    SELECT 'done-' || i, p, 's' || p, 'step', 'completed', '1', 1, $1::timestamptz, $1::timestamptz
    FROM generate_series(1, 100000) AS i, generate_series(0, 4) AS p`,
    [t0],
  );
  await pool.query(
    `
    INSERT INTO ${n.executions} (execution_id, task_name, payload, status, attempt, run_at, scheduled_at, created_at)
    SELECT 'due-' || i, 'task', '{}', 'pending', 0, $1::timestamptz + i * interval '1 ms', $1::timestamptz, $1::timestamptz
    FROM generate_series(1, 200) AS i`,
    [t0],
  );
  await pool.query(`ANALYZE ${n.executions}`);
  await pool.query(`ANALYZE ${n.steps}`);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const text = `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) ${claimSql.text(n)}`;
    const plan = await client.query(text, [
      "2030-01-02T00:00:00Z",
      10,
      "explain-worker",
      "2030-01-02T00:00:30Z",
    ]);
    await client.query("ROLLBACK");
    // The store runs it as a named prepared statement: check the generic plan uses the same indexes.
    await client.query("BEGIN");
    await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
    await client.query(`PREPARE claim_generic AS ${claimSql.text(n)}`);
    const generic = await client.query(
      "EXPLAIN (COSTS OFF) EXECUTE claim_generic('2030-01-02T00:00:00Z', 10, 'w', '2030-01-02T00:00:30Z')",
    );
    await client.query("ROLLBACK");
    await client.query("DEALLOCATE claim_generic");
    const indexes = (generic.rows as { "QUERY PLAN": string }[])
      .map((row) => /Index Scan using (\S+)/.exec(row["QUERY PLAN"])?.[1])
      .filter((name) => name !== undefined);
    const { rows } = await client.query<{ version: string }>("SELECT version()");
    console.log(`-- ${rows[0]?.version}`);
    console.log("-- 100,000 completed executions (500,000 step rows) + 200 due; claim limit 10");
    for (const row of plan.rows as { "QUERY PLAN": string }[]) console.log(row["QUERY PLAN"]);
    console.log(`-- generic plan (prepared statement) index scans: ${indexes.join(", ")}`);
  } finally {
    client.release();
  }
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await scheduler.close();
  await pool.end();
}
