import { type Unsubscribe, type WakeUp, WakeUpHub } from "@zart/core/store";

interface Shared {
  hub: WakeUpHub;
  schedulers: number;
}

/**
 * One hub per storage in this process (keyed by absolute file path, or by the handle of an
 * in-memory database), so a wake-up emitted by one `SqliteScheduler` reaches the workers of every
 * other scheduler on the same file in this process at once. Other processes are not told: their
 * workers find the work at their next poll (`pollInterval`).
 */
const shared = new Map<unknown, Shared>();

/**
 * The in-process wake-ups of one scheduler, delivered in a microtask after the verb's transaction
 * committed (see `WakeUpHub`).
 */
export class WakeUps {
  readonly #key: unknown;
  readonly #shared: Shared;
  readonly #subscriptions = new Set<Unsubscribe>();

  constructor(storageKey: unknown) {
    this.#key = storageKey;
    let entry = shared.get(storageKey);
    if (entry === undefined) {
      entry = { hub: new WakeUpHub(), schedulers: 0 };
      shared.set(storageKey, entry);
    }
    entry.schedulers += 1;
    this.#shared = entry;
  }

  /** Registers `listener` until the returned function (or `close()`) is called. */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    const unsubscribe = this.#shared.hub.subscribe(listener);
    this.#subscriptions.add(unsubscribe);
    return () => {
      this.#subscriptions.delete(unsubscribe);
      unsubscribe();
    };
  }

  /** Delivers `wake` in a microtask to every listener on this storage in this process. */
  emit(wake: WakeUp): void {
    this.#shared.hub.emit(wake);
  }

  /** Drops this scheduler's listeners and forgets the storage once no scheduler uses it. */
  close(): void {
    for (const unsubscribe of this.#subscriptions) unsubscribe();
    this.#subscriptions.clear();
    this.#shared.schedulers -= 1;
    if (this.#shared.schedulers === 0 && shared.get(this.#key) === this.#shared) shared.delete(this.#key);
  }
}
