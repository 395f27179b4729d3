import { StoreUnavailableError } from "@zart/core";

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
   * Writes `items` with one statement; returns each item's outcome in order (`undefined` = done,
   * else the error its caller gets). A throw fails the whole batch (see `submit`).
   */
  flush: (items: T[]) => Promise<(Error | undefined)[]>;
}

/**
 * Natural batching of concurrent writes: a call made while no batch is in flight is sent at once
 * (after the current microtask, so calls made in the same tick share it); calls made while a batch
 * is in flight wait for it and then go together as the next batch. No timer: a lone write is never
 * delayed, and under load the batch size follows the number of callers waiting (up to `maxBatch`).
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

  /**
   * Queues `item` for the next batch; settles with its own outcome. When the batch statement fails
   * with an error that is not `StoreUnavailableError` (e.g. a value the database rejects), its items
   * are retried one per statement, so only the offending write fails.
   */
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
        const outcomes = await this.#write(batch.map((entry) => entry.item));
        for (const [i, entry] of batch.entries()) {
          const outcome = outcomes[i];
          if (outcome === undefined) entry.resolve();
          else entry.reject(outcome);
        }
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

  async #write(items: T[]): Promise<unknown[]> {
    try {
      return await this.#options.flush(items);
    } catch (error) {
      if (items.length === 1 || error instanceof StoreUnavailableError) return items.map(() => error);
      return Promise.all(
        items.map(async (item) => {
          try {
            return (await this.#options.flush([item]))[0];
          } catch (single) {
            return single;
          }
        }),
      );
    }
  }
}
