import type { Unsubscribe, WakeUp } from "@zart/core";

type Listener = (wake: WakeUp) => void;

/**
 * Fans wake-ups out to this scheduler's subscribers, each in a microtask (a listener never runs
 * inside a store call, and may call the store). Wake-ups are hints: a listener that throws is
 * skipped without affecting the others.
 */
export class WakeUpHub {
  readonly #listeners = new Set<{ listener: Listener }>();

  get size(): number {
    return this.#listeners.size;
  }

  /** Registers `listener` until the returned function is called. */
  subscribe(listener: Listener): Unsubscribe {
    const entry = { listener };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Delivers `wake` to every listener subscribed now and still subscribed at delivery. */
  emit(wake: WakeUp): void {
    if (this.#listeners.size === 0) return;
    const entries = [...this.#listeners];
    queueMicrotask(() => {
      for (const entry of entries) {
        if (!this.#listeners.has(entry)) continue;
        try {
          entry.listener({ ...wake });
        } catch {
          // A hint that could not be handled only costs latency.
        }
      }
    });
  }

  clear(): void {
    this.#listeners.clear();
  }
}
