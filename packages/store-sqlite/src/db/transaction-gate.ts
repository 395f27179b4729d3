/**
 * Keeps the store's other verbs off its connection while a `ctx.transaction` body runs on it. The
 * body is async: without the gate, another execution's write made meanwhile on the same handle
 * would land inside that transaction (and be rolled back with it). Verbs wait only while a body
 * runs; otherwise they go at once, synchronously as before.
 */
export class TransactionGate {
  #open: Promise<void> | undefined;

  get busy(): boolean {
    return this.#open !== undefined;
  }

  /** Resolves once no transactional step holds the connection. */
  async idle(): Promise<void> {
    while (this.#open) await this.#open;
  }

  /** Runs `fn` alone on the connection: after the one in progress, before any verb waiting. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#open) await this.#open;
    let done!: () => void;
    this.#open = new Promise((resolve) => {
      done = resolve;
    });
    try {
      return await fn();
    } finally {
      this.#open = undefined;
      done();
    }
  }
}
