import { InvalidTransactionError } from "@zart/core";
import pg from "pg";
import { translateError } from "../translate-error.js";
import type { SchemaNames } from "./names.js";

/** SQLSTATEs of a SAVEPOINT outside a transaction block / inside a failed one. */
const NO_TRANSACTION = "25P01";
const FAILED_TRANSACTION = "25P02";

/**
 * Runs `body` on the caller's client under a savepoint: it doubles as the check that a
 * transaction is open (SAVEPOINT fails outside one), and a failure of ours is rolled back to it,
 * leaving the caller's transaction usable. Driver errors are translated.
 */
export async function inCallerTransaction<T>(
  transaction: unknown,
  names: SchemaNames,
  body: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  const client = asClient(transaction);
  try {
    await client.query("SAVEPOINT zart_write");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === NO_TRANSACTION) throw new InvalidTransactionError("the client is not inside BEGIN");
    if (code === FAILED_TRANSACTION) {
      throw new InvalidTransactionError("the client's transaction has already failed");
    }
    throw translateError(error, names.schema);
  }
  let result: T;
  try {
    result = await body(client);
  } catch (error) {
    await client.query("ROLLBACK TO SAVEPOINT zart_write");
    throw translateError(error, names.schema);
  }
  await client.query("RELEASE SAVEPOINT zart_write");
  return result;
}

/** A connected client; a pool is refused (each of its queries may run on another connection). */
function asClient(transaction: unknown): pg.ClientBase {
  if (transaction instanceof pg.Pool) {
    throw new InvalidTransactionError(
      "a pg Pool was given; pass the client you ran BEGIN on (await pool.connect())",
    );
  }
  if (transaction instanceof pg.Client || isClientLike(transaction)) return transaction as pg.ClientBase;
  throw new InvalidTransactionError("expected a pg client inside BEGIN");
}

/** A client from another copy of `pg` (instanceof fails across copies): has `query` and `release`/`end`. */
function isClientLike(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.query === "function" && !("totalCount" in candidate);
}
