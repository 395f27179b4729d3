import type { Unsubscribe, WakeUp } from "./client-verbs.js";

type Listener = (wake: WakeUp) => void;

/**
 * In-process fan-out of wake-ups, for store implementations. Delivery is deferred to a microtask
 * so a listener never runs inside a store verb (it may call the store again). Wake-ups are hints:
 * a listener that throws is skipped without affecting the store or the other listeners.
 */
export class WakeUpHub {
  readonly #listeners = new Set<{ listener: Listener }>();

  /** Listeners registered now. */
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
          // A hint that could not be handled only costs latency; the store stays consistent.
        }
      }
    });
  }

  /** Drops every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
