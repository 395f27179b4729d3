/** What a store can do beyond the contract's minimum. The conformance suite skips by these flags. */
export interface StoreCapabilities {
  /** Several processes may share the storage (and each runs workers). */
  multiProcess: boolean;
  /** `subscribe` delivers wake-ups (in-process or NOTIFY / pub-sub) instead of relying on polling alone. */
  push: boolean;
  /** Data outlives `close()`: a new store over the same storage sees it. */
  persistent: boolean;
}

export const DEFAULT_CAPABILITIES: StoreCapabilities = { multiProcess: false, push: false, persistent: true };

export function defineCapabilities(overrides: Partial<StoreCapabilities>): StoreCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...overrides };
}
