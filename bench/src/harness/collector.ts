import type { Mark } from "../systems/types.js";

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Receives the marks task bodies report (from worker processes or in-process) and awaits them. */
export class Collector {
  readonly #marks = new Map<string, Map<string, Mark>>();
  readonly #waiters = new Set<Waiter>();
  #failure: Error | undefined;

  add(mark: Mark): void {
    let byId = this.#marks.get(mark.kind);
    if (!byId) {
      byId = new Map();
      this.#marks.set(mark.kind, byId);
    }
    // Keep the first mark per id: a replayed or re-run body reports again, later.
    if (!byId.has(mark.id)) byId.set(mark.id, mark);
    for (const waiter of this.#waiters) {
      if (waiter.ready()) this.#settle(waiter);
    }
  }

  /** Makes every current and later wait fail (a worker crashed). */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters) {
      this.#waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  get(kind: string, id: string): Mark | undefined {
    return this.#marks.get(kind)?.get(id);
  }

  count(kind: string): number {
    return this.#marks.get(kind)?.size ?? 0;
  }

  all(kind: string): Mark[] {
    return [...(this.#marks.get(kind)?.values() ?? [])];
  }

  /** Resolves when `ready()` holds; rejects after `timeoutMs` with a message naming `what`. */
  waitUntil(ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what()}`));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  waitCount(kind: string, n: number, timeoutMs: number): Promise<void> {
    return this.waitUntil(
      () => this.count(kind) >= n,
      timeoutMs,
      () => `${n} "${kind}" marks (got ${this.count(kind)})`,
    );
  }

  async waitMark(kind: string, id: string, timeoutMs: number): Promise<Mark> {
    await this.waitUntil(
      () => this.get(kind, id) !== undefined,
      timeoutMs,
      () => `mark "${kind}" of ${id}`,
    );
    return this.get(kind, id) as Mark;
  }

  #settle(waiter: Waiter): void {
    this.#waiters.delete(waiter);
    clearTimeout(waiter.timer);
    waiter.resolve();
  }
}
