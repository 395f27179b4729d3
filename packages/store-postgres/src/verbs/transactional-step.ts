import { setTimeout as sleep } from "node:timers/promises";
import { InvalidTransactionError } from "@zart/core";
import {
  type ExecutionPatch,
  type Lease,
  leaseLost,
  type StepWrite,
  type TransactionalStepInput,
} from "@zart/core/store";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { type Database, statement } from "../db/database.js";
import { patchSet, stepParams, stepPlaceholders, upsertStep } from "../sql/fragments.js";
import { translateError } from "../translate-error.js";

/**
 * Where `ctx.transaction` bodies run: a pool on the store's database (`tx` = a `pg` client inside
 * `BEGIN`), or a drizzle instance on it (`tx` = a drizzle transaction).
 */
export type TransactionDatabase = pg.Pool | DrizzlePgDatabase;

/**
 * A drizzle instance over node-postgres (`drizzle(pool)`), described by the one method the store
 * calls, so drizzle's types stay out of this package's public types.
 */
export interface DrizzlePgDatabase {
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's transaction type, whatever the schema
  transaction(body: (tx: any) => Promise<unknown>, config?: any): Promise<unknown>;
}

/** SQLSTATEs after which the whole transaction may simply run again: serialization failure, deadlock. */
const RETRYABLE_STATES = new Set(["40001", "40P01"]);
/** Attempts of one transaction through serialization failures and deadlocks. */
const MAX_ATTEMPTS = 5;

/**
 * The fence and the step write, one statement at the end of the transaction: the execution row is
 * locked only if the lease still matches (so from here to the commit no claim or cancel can slip
 * in), the checkpoint patch applied, the step row upserted. Returns how many rows the fence matched.
 * A named prepared statement on the pool path: parsing and planning this CTE on every
 * transaction was half of the transaction's database CPU (bench/results/optimisations.md).
 */
const fencedStepSql = statement(
  "transactional-step",
  (n) => `
  WITH locked AS (
    SELECT execution_id FROM ${n.executions}
    WHERE execution_id = $1 AND lease_token = $2
    FOR UPDATE
  ), patched AS (
    UPDATE ${n.executions} e
    SET ${patchSet(3, 4)}
    FROM locked l
    WHERE e.execution_id = l.execution_id AND ($3::text IS NOT NULL OR $4::timestamptz IS NOT NULL)
  ), step AS (
    ${upsertStep(n, `SELECT execution_id, ${stepPlaceholders(5)} FROM locked`)}
  )
  SELECT count(*)::int AS fenced FROM locked`,
);

/** Runs a statement of ours inside the open transaction, whatever the handle. */
type Run = (query: pg.QueryConfig) => Promise<{ rows: { fenced: number }[] }>;

/**
 * `runTransactionalStep` on Postgres: `BEGIN`, the body, the fenced step write, `COMMIT`, on one
 * connection of `target` (the store's pool by default). A body that fails rolls back and its
 * error is rethrown; a serialization failure or a deadlock (in the body, the fence or the commit)
 * runs the whole transaction again, at most `MAX_ATTEMPTS` times.
 */
export async function runTransactionalStep(
  db: Database,
  target: TransactionDatabase,
  lease: Lease,
  input: TransactionalStepInput,
  patch: ExecutionPatch,
): Promise<StepWrite> {
  db.ensureOpen();
  for (let attempt = 1; ; attempt++) {
    try {
      return target instanceof pg.Pool
        ? await onPool(db, target, lease, input, patch)
        : // biome-ignore lint/suspicious/noExplicitAny: any drizzle schema
          await onDrizzle(db, target as unknown as NodePgDatabase<any>, lease, input, patch);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE_STATES.has(sqlStateOf(error) ?? "")) throw error;
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}

async function onPool(
  db: Database,
  pool: pg.Pool,
  lease: Lease,
  input: TransactionalStepInput,
  patch: ExecutionPatch,
): Promise<StepWrite> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw translateError(error, db.names.schema);
  }
  let broken: unknown;
  try {
    await ours(db, () =>
      client.query(input.isolation ? `BEGIN ISOLATION LEVEL ${input.isolation}` : "BEGIN"),
    );
    const step = input.complete(await input.body(client));
    await fenceAndWrite(db, (query) => client.query(query), lease, step, patch);
    await ours(db, () => client.query("COMMIT"));
    return step;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}

async function onDrizzle(
  db: Database,
  // biome-ignore lint/suspicious/noExplicitAny: any drizzle schema
  orm: NodePgDatabase<any>,
  lease: Lease,
  input: TransactionalStepInput,
  patch: ExecutionPatch,
): Promise<StepWrite> {
  // Our statements' errors are translated inside; the commit's, by drizzle, land here.
  let bodyDone = false;
  try {
    return await orm.transaction(
      async (tx) => {
        const step = input.complete(await input.body(tx));
        bodyDone = true;
        // drizzle cannot name a raw statement: parsed and planned on each transaction.
        const run: Run = async ({ text, values }) =>
          (await tx.execute(withParams(text, values ?? []))) as never;
        await fenceAndWrite(db, run, lease, step, patch);
        return step;
      },
      input.isolation ? { isolationLevel: input.isolation } : undefined,
    );
  } catch (error) {
    throw bodyDone ? translateError(error, db.names.schema) : error;
  }
}

/**
 * The fenced write through the transaction. No row matched: the lease is lost, or the handle is on
 * another database, which the store's own pool tells apart (there the lease is still held).
 */
async function fenceAndWrite(
  db: Database,
  run: Run,
  lease: Lease,
  step: StepWrite,
  patch: ExecutionPatch,
): Promise<void> {
  const values = [lease.executionId, lease.token, patch.data ?? null, patch.timeoutAt ?? null];
  let fenced: number;
  try {
    const { rows } = await run(db.config(fencedStepSql, [...values, ...stepParams(step)]));
    fenced = rows[0]?.fenced ?? 0;
  } catch (error) {
    if (sqlStateOf(error) === "42P01" || sqlStateOf(error) === "3F000") {
      throw new InvalidTransactionError(
        `the transaction database has no Zart tables in schema "${db.names.schema}": it must be the store's own database`,
      );
    }
    throw translateError(error, db.names.schema);
  }
  if (fenced > 0) return;
  const held = await db.pool.query(
    `SELECT 1 FROM ${db.names.executions} WHERE execution_id = $1 AND lease_token = $2`,
    [lease.executionId, lease.token],
  );
  if ((held.rowCount ?? 0) > 0) {
    throw new InvalidTransactionError(
      "the transaction database is not the store's own database (the lease is held there, not here)",
    );
  }
  throw leaseLost(lease);
}

/** One statement of ours (not the body's): driver errors translated, so a lost connection parks the run. */
async function ours<T>(db: Database, statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    if (RETRYABLE_STATES.has(sqlStateOf(error) ?? "")) throw error;
    throw translateError(error, db.names.schema);
  }
}

/** `text` with `$n` placeholders as a drizzle query binding `values`. */
function withParams(text: string, values: unknown[]) {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1]))),
  );
}

/** The SQLSTATE of a driver error, also when wrapped (drizzle's `DrizzleQueryError`). */
function sqlStateOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
