/**
 * Keeps the store's other verbs off its connection while a `ctx.transaction` body runs on it. The
 * body is async: without the gate, another execution's write made meanwhile on the same handle
 * would land inside that transaction (and be rolled back with it). Verbs wait only while a body
 * runs; otherwise they go at once, synchronously as before.
 *
 * Waiters are served first come, first served, each handed the connection directly by the one
 * before it: a verb queued behind a body runs as soon as that body ends, not after every body
 * queued later (which made a worker claim in crumbs: bench W9 on SQLite, optimisations.md).
 */
export class TransactionGate {
  #held = false;
  /** Waiters in arrival order: a verb runs when called, a body takes the connection over. */
  readonly #queue: (() => void)[] = [];

  /** Runs `fn` alone on the connection, after the body in progress and those queued before it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#held) {
      await new Promise<void>((handOver) =>
        this.#queue.push(() => {
          this.#held = true;
          handOver();
        }),
      );
    } else {
      this.#held = true;
    }
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  /** Runs the synchronous `body` once no body holds the connection (at once when none does). */
  whenFree<T>(body: () => T): T | Promise<T> {
    if (!this.#held) return body();
    return new Promise<T>((resolve, reject) => {
      this.#queue.push(() => {
        try {
          resolve(body());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** Runs the verbs waiting next, up to the next body, which takes the connection over. */
  #release(): void {
    this.#held = false;
    while (!this.#held) {
      const next = this.#queue.shift();
      if (!next) return;
      next();
    }
  }
}
