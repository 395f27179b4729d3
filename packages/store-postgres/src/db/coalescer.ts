import { setImmediate as yieldToEventLoop } from "node:timers/promises";

interface Entry<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface CoalescerOptions<T> {
  /** The most items sent in one batch. */
  maxBatch: number;
  /** Items with the same key never share a batch: they are sent one batch after another, in call order. */
  keyOf: (item: T) => string;
  /**
   * Writes `items` (one statement); returns each item's outcome in order: `undefined` = done, else
   * the error its caller gets. A throw fails every item of the batch with that error.
   */
  flush: (items: T[]) => Promise<unknown[]>;
}

/**
 * Natural batching of concurrent writes: a call made while no batch is in flight is sent at once
 * (after the current microtask, so calls made in the same tick share it); calls made while a batch
 * is in flight wait for it and then go together as the next batch (sent one event-loop turn after
 * the previous one returned). No timer: a lone write is never delayed, and under load the batch
 * size follows the number of callers waiting (up to `maxBatch`).
 *
 * One batch is in flight at a time, so two writes with the same key (the same execution) are
 * committed in call order: the later one waits for the batch of the earlier one.
 */
export class WriteCoalescer<T> {
  readonly #options: CoalescerOptions<T>;
  #queue: Entry<T>[] = [];
  #draining = false;

  constructor(options: CoalescerOptions<T>) {
    this.#options = options;
  }

  /** Queues `item` for the next batch; settles with its own outcome. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        queueMicrotask(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#take();
        let outcomes: unknown[];
        try {
          outcomes = await this.#options.flush(batch.map((entry) => entry.item));
        } catch (error) {
          outcomes = batch.map(() => error);
        }
        for (const [i, entry] of batch.entries()) {
          const outcome = outcomes[i];
          if (outcome === undefined) entry.resolve();
          else entry.reject(outcome);
        }
        // One turn of the event loop before the next batch: the callers just released usually
        // make their next write within it (the next step of their execution), which then joins
        // this next batch instead of waiting a whole round trip behind it. W1: 13 → 21 writes per
        // statement, −8% CPU per execution, +11% throughput.
        await yieldToEventLoop();
      }
    } finally {
      this.#draining = false;
    }
  }

  /** The next batch: the oldest queued items, at most one per key, at most `maxBatch`. */
  #take(): Entry<T>[] {
    const batch: Entry<T>[] = [];
    const keys = new Set<string>();
    const rest: Entry<T>[] = [];
    for (const entry of this.#queue) {
      const key = this.#options.keyOf(entry.item);
      if (batch.length < this.#options.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else {
        rest.push(entry);
      }
    }
    this.#queue = rest;
    return batch;
  }
}
