import type { Logger } from "@zart/core";
import type pg from "pg";

export interface NotificationListenerOptions {
  pool: pg.Pool;
  /** The channel to LISTEN on (a plain identifier). */
  channel: string;
  onNotification: (payload: string | undefined) => void;
  /** Called after every (re)connection: notifications sent while disconnected were missed. */
  onReconnect: () => void;
  logger: Logger;
  /** Liveness probe period on the LISTEN connection (default 30 s). */
  probeIntervalMs?: number;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * Holds one dedicated connection (checked out of the pool for as long as it listens) that
 * LISTENs on the schema's channel. When the connection breaks (server restart, network) it is
 * discarded and a new one is made with exponential backoff (100 ms → 5 s, jittered); a periodic
 * `SELECT 1` detects connections that died silently. Polling remains the safety net: a
 * notification missed while reconnecting only costs latency.
 */
export class NotificationListener {
  readonly #options: NotificationListenerOptions;
  #client: pg.PoolClient | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #pauses = new Set<() => void>();

  constructor(options: NotificationListenerOptions) {
    this.#options = options;
  }

  /** True while a LISTEN connection is established. */
  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** Starts listening in the background (idempotent). */
  start(): void {
    if (this.#running || this.#stopped) return;
    this.#running = this.#loop();
  }

  /**
   * Stops listening and destroys the connection. Idempotent. Waits at most 2 s: a connection
   * attempt still pending then (server unreachable) is released as soon as it settles.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const cancel of [...this.#pauses]) cancel();
    if (this.#running === undefined) return;
    const { promise: timeout, cancel } = this.#pause(2_000);
    await Promise.race([this.#running, timeout]);
    cancel();
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      try {
        await this.#listenUntilBroken();
        failures = 0;
      } catch (error) {
        if (this.#stopped) break;
        failures++;
        const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (failures - 1));
        this.#options.logger.warn(
          {
            channel: this.#options.channel,
            retryInMs: delay,
            error: String(error),
          },
          "LISTEN connection to PostgreSQL lost; reconnecting",
        );
        await this.#pause(delay * (0.75 + Math.random() / 2)).promise;
      }
    }
  }

  /** Connects, LISTENs, and resolves when stopped or rejects when the connection breaks. */
  async #listenUntilBroken(): Promise<void> {
    const { pool, channel } = this.#options;
    const client = await pool.connect();
    let broken: (error: unknown) => void = () => {};
    const brokenPromise = new Promise<never>((_, reject) => {
      broken = reject;
    });
    brokenPromise.catch(() => {});
    const onError = (error: Error) => broken(error);
    const onEnd = () => broken(new Error("LISTEN connection ended"));
    const onNotification = (message: pg.Notification) => {
      if (message.channel === channel) this.#options.onNotification(message.payload);
    };
    client.on("error", onError);
    client.on("end", onEnd);
    client.on("notification", onNotification);
    let failure: unknown;
    try {
      await client.query(`LISTEN "${channel}"`);
      this.#client = client;
      this.#options.onReconnect();
      const probeMs = this.#options.probeIntervalMs ?? 30_000;
      while (!this.#stopped) {
        const pause = this.#pause(probeMs);
        await Promise.race([brokenPromise, pause.promise]).finally(pause.cancel);
        if (this.#stopped) break;
        await Promise.race([brokenPromise, client.query("SELECT 1")]);
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.#client = undefined;
      client.off("notification", onNotification);
      client.off("end", onEnd);
      // Keep an error handler: a late socket error on a discarded client must not crash the process.
      client.off("error", onError);
      client.on("error", () => {});
      // Never return a LISTENing connection to the pool: destroy it.
      client.release(failure instanceof Error ? failure : new Error("listener stopped"));
    }
  }

  /** A sleep of `ms` that `cancel` (or `stop()`) ends early; its timer never keeps the process alive. */
  #pause(ms: number): { promise: Promise<void>; cancel: () => void } {
    let cancel!: () => void;
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => cancel(), ms);
      timer.unref();
      cancel = () => {
        clearTimeout(timer);
        this.#pauses.delete(cancel);
        resolve();
      };
      this.#pauses.add(cancel);
    });
    return { promise, cancel };
  }
}
