import { type Clock, systemClock } from "./clock.js";
import type { Logger } from "./engine/logger.js";

/** What reads the store's clock: on one connection, so waiting for a free one never counts as round trip. */
export interface StoreTimeProbe {
  /** The store's clock, in ms since the epoch (Postgres `clock_timestamp()`, Redis `TIME`). */
  read(): Promise<number>;
  /** Gives the connection back. */
  release(): void;
}

/** Options of {@link StoreClock}. */
export interface StoreClockOptions {
  /** Opens a probe for one measurement (a few reads). */
  openProbe: () => Promise<StoreTimeProbe>;
  /** The local clock the offset is measured against. Default: the system clock. */
  base?: Clock;
  /** How often the offset is measured again, in ms. Default 30 000. */
  refreshMs?: number;
  /** Where a failed measurement is reported. */
  logger: Logger;
}

/** Round trips per measurement; the shortest one's reading is kept (its error bound is the tightest). */
const SAMPLES = 5;
/** A failed measurement is tried again this soon (ms), not a whole refresh interval later. */
const RETRY_MS = 1_000;
/** The base clock and the monotonic clock disagreeing by more than this (ms) means the base clock was stepped. */
const STEP_MS = 500;

/**
 * The store's clock, read locally: `base.now()` plus the offset between the store's clock and
 * `base`, measured over a round trip and corrected for it (the reading is taken as made halfway, so
 * the error is at most half the round trip). Measured again every `refreshMs`, after the store
 * reconnects (`refresh()`), and at once when `base` is stepped (checked against the monotonic
 * clock on every read, so an NTP step or a manual change of the worker's clock never goes unseen
 * until the next refresh: meanwhile time is extrapolated from the last measurement on the
 * monotonic clock). Stores hand it to the engine as `scheduler.clock` under `timeSource:
 * "database"`, so every verb keeps taking `now` from one clock and no statement reads the server's.
 */
export class StoreClock implements Clock {
  readonly #openProbe: () => Promise<StoreTimeProbe>;
  readonly #base: Clock;
  readonly #refreshMs: number;
  readonly #logger: Logger;
  /** Store time minus base time, ms (0 until the first measurement). */
  #offsetMs = 0;
  #errorMs = Number.POSITIVE_INFINITY;
  /** The base clock and the monotonic clock at the last measurement (to notice a step). */
  #baseAt = 0;
  #monoAt = 0;
  #measuring: Promise<void> | undefined;
  /** The last time `now()` returned (ms). */
  #lastMs = Number.NEGATIVE_INFINITY;
  /** When the last measurement started (monotonic), so a stepped clock does not hammer the store. */
  #triedAt = Number.NEGATIVE_INFINITY;
  #first: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: StoreClockOptions) {
    this.#openProbe = options.openProbe;
    this.#base = options.base ?? systemClock;
    this.#refreshMs = options.refreshMs ?? 30_000;
    this.#logger = options.logger;
  }

  now(): Date {
    const ms = this.#read();
    // A new measurement may move time back by its error (milliseconds): hold still instead, so
    // timestamps of this process never go backwards for that. A larger step back (the server's own
    // clock was set back, or a failover reached another clock) is followed.
    if (ms < this.#lastMs && this.#lastMs - ms < STEP_MS) return new Date(this.#lastMs);
    this.#lastMs = ms;
    return new Date(ms);
  }

  #read(): number {
    this.#first ??= this.refresh();
    const base = this.#base.now().getTime();
    if (this.#monoAt === 0) return base + this.#offsetMs;
    const sinceMono = performance.now() - this.#monoAt;
    if (Math.abs(base - this.#baseAt - sinceMono) <= STEP_MS) return base + this.#offsetMs;
    // The base clock jumped since the last measurement: trust the monotonic clock until re-measured.
    if (performance.now() - this.#triedAt >= RETRY_MS) void this.refresh();
    return this.#baseAt + this.#offsetMs + sinceMono;
  }

  /** Resolves once the first measurement was made (or failed: then the offset is 0 until one succeeds). */
  ready(): Promise<void> {
    this.#first ??= this.refresh();
    return this.#first;
  }

  /** The last measured offset (store minus base), ms. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Half the round trip of the last measurement: the most its offset can be off, ms. */
  get errorMs(): number {
    return this.#errorMs;
  }

  /** Measures the offset now (a measurement in flight is joined); never rejects. */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#measuring ??= this.#measure().finally(() => {
      this.#measuring = undefined;
    });
    return this.#measuring;
  }

  /** Stops refreshing. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #measure(): Promise<void> {
    let next = this.#refreshMs;
    this.#triedAt = performance.now();
    try {
      let best: { offset: number; rtt: number; base: number; mono: number } | undefined;
      const probe = await this.#openProbe();
      try {
        for (let i = 0; i < SAMPLES; i++) {
          const sent = this.#base.now().getTime();
          const monoSent = performance.now();
          const store = await probe.read();
          const rtt = performance.now() - monoSent;
          const midpoint = sent + rtt / 2;
          if (best === undefined || rtt < best.rtt) {
            best = { offset: store - midpoint, rtt, base: midpoint, mono: monoSent + rtt / 2 };
          }
        }
      } finally {
        probe.release();
      }
      if (best !== undefined) {
        this.#offsetMs = best.offset;
        this.#errorMs = best.rtt / 2;
        this.#baseAt = best.base;
        this.#monoAt = best.mono;
      }
    } catch (error) {
      next = Math.min(next, RETRY_MS);
      this.#logger.warn(
        { error: String(error) },
        "could not read the store's clock; keeping the last offset",
      );
    }
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), next);
    this.#timer.unref();
  }
}
