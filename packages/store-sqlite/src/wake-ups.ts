import { EventEmitter } from "node:events";
import type { Unsubscribe, WakeUp } from "@zart/core";

type Listener = (wake: WakeUp) => void;

interface Hub {
  emitter: EventEmitter;
  schedulers: number;
}

/**
 * One emitter per storage in this process (keyed by absolute file path, or by the handle of an
 * in-memory database), so a wake-up emitted by one `SqliteScheduler` reaches the workers of every
 * other scheduler on the same file in this process at once. Other processes are not told: their
 * workers find the work at their next poll (`pollInterval`).
 */
const hubs = new Map<unknown, Hub>();

/**
 * The in-process wake-ups of one scheduler. Delivery is deferred to a microtask, after the verb's
 * transaction committed, so a listener never runs inside a store verb (it may call the store
 * again). Wake-ups are hints: a listener that throws is skipped without affecting the others.
 */
export class WakeUps {
  readonly #key: unknown;
  readonly #hub: Hub;
  readonly #subscriptions = new Set<Listener>();

  constructor(storageKey: unknown) {
    this.#key = storageKey;
    let hub = hubs.get(storageKey);
    if (hub === undefined) {
      hub = { emitter: new EventEmitter(), schedulers: 0 };
      hub.emitter.setMaxListeners(0);
      hubs.set(storageKey, hub);
    }
    hub.schedulers += 1;
    this.#hub = hub;
  }

  /** Registers `listener` until the returned function (or `close()`) is called. */
  subscribe(listener: Listener): Unsubscribe {
    const guarded: Listener = (wake) => {
      try {
        listener({ ...wake });
      } catch {
        // A hint that could not be handled only costs latency; the store stays consistent.
      }
    };
    this.#subscriptions.add(guarded);
    this.#hub.emitter.on("wake", guarded);
    return () => {
      this.#subscriptions.delete(guarded);
      this.#hub.emitter.off("wake", guarded);
    };
  }

  /** Delivers `wake` in a microtask to every listener on this storage in this process. */
  emit(wake: WakeUp): void {
    const emitter = this.#hub.emitter;
    if (emitter.listenerCount("wake") === 0) return;
    queueMicrotask(() => emitter.emit("wake", wake));
  }

  /** Drops this scheduler's listeners and forgets the storage once no scheduler uses it. */
  close(): void {
    for (const listener of this.#subscriptions) this.#hub.emitter.off("wake", listener);
    this.#subscriptions.clear();
    this.#hub.schedulers -= 1;
    if (this.#hub.schedulers === 0 && hubs.get(this.#key) === this.#hub) hubs.delete(this.#key);
  }
}
