import { fillPlaceholders, type SQL, sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Orm } from "./rows.js";

/**
 * Prepared statements for the hot path. Building a query with drizzle costs far more than running
 * it on SQLite (measured: ~200 µs against ~20 µs for a one-row update on the CI machine), so the
 * verbs a worker calls per step build theirs once per connection with `.prepare()` and
 * placeholders, and only bind values afterwards.
 *
 * Statements are built on first use, not at construction: preparing needs the tables, which exist
 * only after `migrate()`. A build that fails (no tables yet) is not cached, so it is retried.
 */
export function preparedPerConnection<T>(build: (orm: Orm) => T): (orm: Orm) => T {
  const cache = new WeakMap<Orm, T>();
  return (orm) => {
    let statements = cache.get(orm);
    if (statements === undefined) {
      statements = build(orm);
      cache.set(orm, statements);
    }
    return statements;
  };
}

/**
 * A placeholder bound as-is, bypassing the column's encoder. Nullable time and JSON columns need it:
 * drizzle encodes a bound placeholder value even when it is `null` (a `Date` column would call
 * `null.getTime()`, a JSON one would store the text `"null"`), so their values are passed
 * pre-encoded with {@link ms} and {@link json}.
 */
export function raw(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}

/** A nullable time column's bound value: epoch milliseconds, or SQL `NULL`. */
export function ms(date: Date | undefined | null): number | null {
  return date == null ? null : date.getTime();
}

/** A nullable JSON column's bound value: its JSON text, or SQL `NULL`. */
export function json(value: object | undefined | null): string | null {
  return value == null ? null : JSON.stringify(value);
}

const dialect = new SQLiteSyncDialect();

/**
 * Prepares a hand-written `sql` query once; its `sql.placeholder(...)` values are bound by name at
 * each call, as-is (pass times as epoch milliseconds).
 */
export function prepareSql<Row>(orm: Orm, query: SQL): { all(values: Record<string, unknown>): Row[] } {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const statement = orm.$client.prepare(text);
  return { all: (values) => statement.all(...fillPlaceholders(params, values)) as Row[] };
}
