import type { Logger } from "@zart/core";
import { type Unsubscribe, WAKE_REASONS, type WakeReason, type WakeUp, WakeUpHub } from "@zart/core/store";
import type { RedisClient } from "./db/commands.js";

const REASONS: ReadonlySet<string> = new Set<WakeReason>(WAKE_REASONS);

/**
 * Wake-ups over Redis pub/sub. The scripts publish `<reason>:<origin>:<executionId>` on the
 * keyspace's channel in the same atomic step as the change. Listeners get:
 *
 * - the wake-ups of this scheduler's own calls at once, in a microtask (they do not wait for a
 *   round trip through Redis, and never run inside a store call);
 * - everybody else's (other schedulers, other processes) from a dedicated subscriber connection,
 *   a `duplicate()` of the command client opened on the first `subscribe()`. ioredis reconnects it
 *   and re-subscribes on its own; a wake-up published while it is disconnected is missed, so a
 *   `reconnected` wake-up follows every reconnection (workers poll at once), and workers also poll
 *   every `pollInterval`.
 */
export class WakeUpChannel {
  readonly #hub = new WakeUpHub();
  readonly #source: RedisClient;
  readonly #channel: string;
  readonly #origin: string;
  readonly #logger: Logger;
  #subscriber: RedisClient | undefined;
  #reportedError = false;
  #closed = false;

  constructor(options: { source: RedisClient; channel: string; origin: string; logger: Logger }) {
    this.#source = options.source;
    this.#channel = options.channel;
    this.#origin = options.origin;
    this.#logger = options.logger;
  }

  /** Registers `listener` until the returned function is called; opens the subscriber if needed. */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    const unsubscribe = this.#hub.subscribe(listener);
    this.#ensureSubscriber();
    return unsubscribe;
  }

  /** Delivers a wake-up caused by this scheduler to its own listeners (in a microtask). */
  emitLocal(reason: WakeReason, executionId: string): void {
    this.#hub.emit({ reason, executionId });
  }

  /** Drops every listener and closes the subscriber connection (never the source client). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#hub.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    subscriber?.disconnect();
  }

  #ensureSubscriber(): void {
    if (this.#subscriber !== undefined || this.#closed) return;
    const subscriber = this.#source.duplicate();
    this.#subscriber = subscriber;
    subscriber.on("error", (error: Error) => {
      if (this.#reportedError || this.#closed) return;
      this.#reportedError = true;
      this.#logger.warn(
        {
          error: error.message,
        },
        "the Redis wake-up subscriber lost its connection; reconnecting (workers keep polling)",
      );
    });
    let connected = false;
    subscriber.on("ready", () => {
      this.#reportedError = false;
      // ioredis re-subscribes by itself; messages published while it was away were missed, so
      // workers sweep (poll) once.
      if (connected) this.#hub.emit({ reason: "reconnected", executionId: "" });
      connected = true;
    });
    subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      const wake = this.#parse(message);
      if (wake !== undefined) this.#hub.emit(wake);
    });
    subscriber.subscribe(this.#channel).catch((error: unknown) => {
      if (this.#closed) return;
      this.#logger.warn(
        {
          error: String(error),
        },
        "subscribing to Redis wake-ups failed; workers fall back to polling",
      );
    });
  }

  /** `<reason>:<origin>:<id>` → a wake-up, or `undefined` for our own (already delivered) or garbage. */
  #parse(message: string): WakeUp | undefined {
    const first = message.indexOf(":");
    const second = message.indexOf(":", first + 1);
    if (first < 0 || second < 0) return undefined;
    const reason = message.slice(0, first);
    if (!REASONS.has(reason) || message.slice(first + 1, second) === this.#origin) return undefined;
    return { reason: reason as WakeReason, executionId: message.slice(second + 1) };
  }
}
