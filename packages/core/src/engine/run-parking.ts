/** Why a run stopped without finishing: it parked durably, lost its lease, or gave the lease back. */
export type ParkReason =
  | { kind: "suspended"; wakeAt?: Date }
  /** The lease is gone (taken over, cancelled) or the store is unreachable: the run is dropped. */
  | { kind: "lost"; error: unknown }
  | { kind: "released" }
  /** A child run replayed up to an operation that has no history: it may not run live work. */
  | { kind: "replay-end" };

/**
 * When a run stops (`parked`, settled once with the first reason) and when it frees its worker
 * slot (`doneWithSlot`). A child run's `replay-end` keeps the slot: its body still runs.
 */
export class RunParking {
  #reason: ParkReason | undefined;
  readonly parked: Promise<ParkReason>;
  #resolveParked!: (reason: ParkReason) => void;
  readonly doneWithSlot: Promise<void>;
  #resolveDoneWithSlot!: () => void;

  constructor() {
    this.parked = new Promise((resolve) => {
      this.#resolveParked = resolve;
    });
    this.doneWithSlot = new Promise((resolve) => {
      this.#resolveDoneWithSlot = resolve;
    });
  }

  get reason(): ParkReason | undefined {
    return this.#reason;
  }

  /** Only the engine's final write is left: the worker may claim the next unit meanwhile. */
  freeSlot(): void {
    this.#resolveDoneWithSlot();
  }

  /** Records the first reason; false when the run was already parked. */
  park(reason: ParkReason): boolean {
    if (this.#reason) return false;
    this.#reason = reason;
    this.#resolveParked(reason);
    if (reason.kind !== "replay-end") this.#resolveDoneWithSlot();
    return true;
  }
}
