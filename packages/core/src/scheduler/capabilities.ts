/**
 * What a store can do beyond the contract's minimum. The conformance suite skips by these flags.
 * A store declares only what it adds: `defineCapabilities` fills the rest from the defaults, which
 * are the minimum a new store is held to.
 */
export interface StoreCapabilities {
  /** Several processes may share the storage (and each runs workers). */
  multiProcess: boolean;
  /** `subscribe` delivers wake-ups (in-process or NOTIFY / pub-sub) instead of relying on polling alone. */
  push: boolean;
  /** Data outlives `close()`: a new store over the same storage sees it. */
  persistent: boolean;
  /**
   * `offerEvent` answers a wait that is parked on the event and can still receive it, in the same
   * transaction (see `Scheduler.offerEvent`), which saves the woken worker its `awaitEvent` call.
   */
  answersOnOffer: boolean;
  /**
   * `createExecutionInTransaction` writes through the caller's own open transaction, so the
   * execution exists iff the caller commits (`start(..., { transaction })`), and
   * `offerEventInTransaction` likewise for an offered event (`offerEvent(..., { transaction })`).
   */
  transactionalStart: boolean;
  /**
   * `runTransactionalStep` runs a `ctx.transaction` body in a transaction on the store's own
   * database and commits the step's row in that same transaction.
   */
  transactionalSteps: boolean;
}

export const DEFAULT_CAPABILITIES: Readonly<StoreCapabilities> = Object.freeze({
  multiProcess: false,
  push: false,
  persistent: true,
  answersOnOffer: false,
  transactionalStart: false,
  transactionalSteps: false,
});

export function defineCapabilities(overrides: Partial<StoreCapabilities>): StoreCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...overrides };
}
