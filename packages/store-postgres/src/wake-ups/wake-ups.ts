import { randomUUID } from "node:crypto";
import type { Logger } from "@zart/core";
import { type Unsubscribe, type WakeReason, type WakeUp, WakeUpHub } from "@zart/core/store";
import type pg from "pg";
import { decodeWakeUp, encodeWakeUp } from "./notification.js";
import { NotificationListener } from "./notification-listener.js";

/**
 * One scheduler instance's wake-ups. A verb sends `notice(…)` with `pg_notify` in its own
 * transaction (other processes hear it at commit) and, once it returned, `emit`s the same wake-up
 * to this instance's subscribers at once; this instance's listener skips its own notifications.
 */
export class WakeUps {
  readonly #hub = new WakeUpHub();
  readonly #listener: NotificationListener;
  /** Identifies this instance in NOTIFY payloads. */
  readonly #instanceId = randomUUID();

  constructor(
    readonly channel: string,
    pool: pg.Pool,
    logger: Logger,
  ) {
    let listened = false;
    this.#listener = new NotificationListener({
      pool,
      channel,
      logger,
      onNotification: (payload) => this.#deliver(payload),
      onReconnect: () => {
        // After an outage, NOTIFYs sent meanwhile were missed: subscribers sweep (poll) once.
        if (listened) this.#hub.emit({ reason: "reconnected", executionId: "" });
        listened = true;
      },
    });
  }

  /**
   * The first subscription starts LISTENing on the channel (one pooled connection held,
   * reconnected with backoff); other processes' wake-ups arrive by NOTIFY.
   */
  subscribe(listener: (wake: WakeUp) => void): Unsubscribe {
    const unsubscribe = this.#hub.subscribe(listener);
    this.#listener.start();
    return unsubscribe;
  }

  async close(): Promise<void> {
    this.#hub.clear();
    await this.#listener.stop();
  }

  /** The `pg_notify` arguments of a wake-up this instance also emits in-process. */
  readonly notice = (reason: WakeReason, executionId: string): [string, string] => [
    this.channel,
    encodeWakeUp(reason, executionId, this.#instanceId),
  ];

  /**
   * The `pg_notify` arguments for the caller's transaction: no sender, so every listener (this
   * instance's too) delivers it at the caller's commit, and nothing is emitted before.
   */
  committed(reason: WakeReason, executionId: string): [string, string] {
    return [this.channel, encodeWakeUp(reason, executionId, "")];
  }

  /** `{ channel, sender }` for a statement that builds its payloads itself (schedule fires). */
  get sender(): { channel: string; sender: string } {
    return { channel: this.channel, sender: this.#instanceId };
  }

  emit(reason: WakeReason, executionId: string): void {
    this.#hub.emit({ reason, executionId });
  }

  /** A NOTIFY heard by the listener: delivered unless this instance sent it. */
  #deliver(payload: string | undefined): void {
    const decoded = decodeWakeUp(payload);
    if (decoded === undefined || decoded.sender === this.#instanceId) return;
    this.#hub.emit(decoded.wake);
  }
}
