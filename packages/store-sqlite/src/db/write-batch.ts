import type Database from "better-sqlite3";

interface Entry {
  body: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WriteBatchOptions {
  database: Database.Database;
  /** The connection's transaction function (`database.transaction(body => body())`): nested, a savepoint. */
  transaction: ReturnType<Database.Database["transaction"]>;
  /** Runs `flush` once no `ctx.transaction` body holds the connection (the context's gate). */
  whenFree: (flush: () => void) => void;
  /** A driver error → the store's typed error. */
  translate: (error: unknown) => unknown;
  /** Throws when the store is closed. */
  ensureOpen: () => void;
}

/**
 * The worker's hot writes (step results, completions, suspensions) made in one turn of the event
 * loop, committed in one `BEGIN IMMEDIATE` transaction, each inside a savepoint of its own: a write
 * that throws (a lost lease) is rolled back alone and its caller gets its error, the others
 * commit. A commit is most of a small write's cost (bench/results/optimisations.md), and a
 * worker's runs write in bursts. Callers learn their outcome after the commit, so wake-ups they
 * send then announce durable rows.
 */
export class WriteBatch {
  readonly #options: WriteBatchOptions;
  #queue: Entry[] = [];

  constructor(options: WriteBatchOptions) {
    this.#options = options;
  }

  /** Queues `body` for this turn's transaction; settles with its result once that commits. */
  submit<T>(body: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const entries = this.#queue;
    this.#queue = [];
    this.#options.whenFree(() => this.#commit(entries));
  }

  #commit(entries: Entry[]): void {
    const { database, transaction, translate } = this.#options;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.#options.ensureOpen();
      transaction.immediate(() => {
        for (const entry of entries) {
          try {
            // Nested: a savepoint, rolled back alone when the body throws.
            outcomes.push({ ok: true, value: transaction(entry.body) });
          } catch (error) {
            // An error SQLite answers by rolling the whole transaction back ends the batch.
            if (!database.inTransaction) throw error;
            outcomes.push({ ok: false, value: translate(error) });
          }
        }
      });
    } catch (error) {
      const failure = translate(error);
      for (const entry of entries) entry.reject(failure);
      return;
    }
    for (const [i, entry] of entries.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.value);
    }
  }
}
