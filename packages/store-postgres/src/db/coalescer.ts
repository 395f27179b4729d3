import { setImmediate as yieldToEventLoop } from "node:timers/promises";

interface Entry<T> {
  item: T;
  key: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface CoalescerOptions<T> {
  /** The most items sent in one batch. */
  maxBatch: number;
  /** The most batches in flight at once (each on its own connection). */
  maxInFlight: number;
  /** Items with the same key never share a batch, nor two batches in flight: they go in call order. */
  keyOf: (item: T) => string;
  /**
   * Writes `items` (one statement); returns each item's outcome in order: `undefined` = done, else
   * the error its caller gets. A throw fails every item of the batch with that error.
   */
  flush: (items: T[]) => Promise<unknown[]>;
}

/**
 * Natural batching of concurrent writes: a call made while fewer than `maxInFlight` batches are in
 * flight is sent at once (after the current microtask, so calls made in the same tick share it);
 * calls made while all are in flight queue and go together as the next batch once one returns. No
 * timer: a lone write is never delayed, and under load the batch size follows the number of
 * callers waiting (up to `maxBatch`).
 *
 * A key (an execution) is in at most one batch in flight, so two writes of one execution are
 * committed in call order: the later one waits for the batch of the earlier one.
 */
export class WriteCoalescer<T> {
  readonly #options: CoalescerOptions<T>;
  #queue: Entry<T>[] = [];
  /** Keys of the batches in flight. */
  readonly #sending = new Set<string>();
  #inFlight = 0;
  #pumpQueued = false;

  constructor(options: CoalescerOptions<T>) {
    this.#options = options;
  }

  /** Queues `item` for the next batch; settles with its own outcome. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, key: this.#options.keyOf(item), resolve, reject });
      if (!this.#pumpQueued) {
        this.#pumpQueued = true;
        queueMicrotask(() => {
          this.#pumpQueued = false;
          this.#pump();
        });
      }
    });
  }

  /** Sends batches while a flight is free and some queued item's key is not in flight. */
  #pump(): void {
    while (this.#inFlight < this.#options.maxInFlight && this.#queue.length > 0) {
      const batch = this.#take();
      if (batch.length === 0) return;
      void this.#send(batch);
    }
  }

  async #send(batch: Entry<T>[]): Promise<void> {
    this.#inFlight++;
    for (const entry of batch) this.#sending.add(entry.key);
    let outcomes: unknown[];
    try {
      outcomes = await this.#options.flush(batch.map((entry) => entry.item));
    } catch (error) {
      outcomes = batch.map(() => error);
    }
    for (const [i, entry] of batch.entries()) {
      this.#sending.delete(entry.key);
      const outcome = outcomes[i];
      if (outcome === undefined) entry.resolve();
      else entry.reject(outcome);
    }
    // One turn of the event loop before the flight is used again: the callers just released
    // usually make their next write within it (the next step of their execution), which then
    // joins this next batch instead of going alone. W1: 13 → 21 writes per statement, −8% CPU per
    // execution, +11% throughput (measured with one flight).
    await yieldToEventLoop();
    this.#inFlight--;
    this.#pump();
  }

  /** The next batch: the oldest queued items whose key is not in flight, one per key, at most `maxBatch`. */
  #take(): Entry<T>[] {
    const batch: Entry<T>[] = [];
    const keys = new Set<string>();
    const rest: Entry<T>[] = [];
    for (const entry of this.#queue) {
      if (batch.length < this.#options.maxBatch && !keys.has(entry.key) && !this.#sending.has(entry.key)) {
        keys.add(entry.key);
        batch.push(entry);
      } else {
        rest.push(entry);
      }
    }
    this.#queue = rest;
    return batch;
  }
}
