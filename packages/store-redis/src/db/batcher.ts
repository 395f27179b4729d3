interface Entry<T> {
  item: T;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions<T> {
  /** The most items sent in one batch. */
  maxBatch: number;
  /** The most batches in flight at once (pipelined on the one connection). */
  maxInFlight: number;
  /**
   * Sends `items` as one command; returns each item's outcome in order: an `Error` is the error its
   * caller gets, anything else its answer. A throw fails every item of the batch with that error.
   */
  send: (items: T[]) => Promise<unknown[]>;
}

/**
 * Natural batching of concurrent calls, no timer. A call made while nothing is in flight goes at
 * once, alone (a lone write is never delayed). Calls made while batches are in flight gather until
 * the end of the event-loop turn (`setImmediate`: the callers a reply just released make their next
 * write within it) and go as one batch, unless `maxInFlight` batches are in flight: they then wait
 * for one to return. Batches go out in order on one connection, and Redis runs commands in order,
 * so calls take effect in call order.
 */
export class Batcher<T> {
  readonly #options: BatcherOptions<T>;
  #queue: Entry<T>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(options: BatcherOptions<T>) {
    this.#options = options;
  }

  /** Queues `item` for the next batch; settles with its own outcome. */
  submit(item: T): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#inFlight === 0 && !this.#scheduled) this.#pump();
      else this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#options.maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      void this.#send(batch);
    }
  }

  async #send(batch: Entry<T>[]): Promise<void> {
    this.#inFlight++;
    let outcomes: unknown[];
    try {
      outcomes = await this.#options.send(batch.map((entry) => entry.item));
    } catch (error) {
      outcomes = batch.map(() => error);
    }
    this.#inFlight--;
    for (const [i, entry] of batch.entries()) {
      const outcome = outcomes[i];
      if (outcome instanceof Error) entry.reject(outcome);
      else entry.resolve(outcome);
    }
    if (this.#queue.length > 0) this.#schedule();
  }
}
