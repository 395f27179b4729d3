import type { ExecutionPatch } from "../scheduler/worker-writes.js";

/**
 * The execution fields a run changed since its last write (`ctx.data()`, the task deadline), sent
 * with its next fenced write as an `ExecutionPatch`.
 */
export class PendingPatch {
  #dataText: string | undefined;
  #dataDirty = false;
  readonly #timeoutAt: Date | undefined;
  #timeoutDirty: boolean;

  /** `timeoutIsNew`: the deadline was computed at this claim and must be persisted. */
  constructor(dataText: string | undefined, timeoutAt: Date | undefined, timeoutIsNew: boolean) {
    this.#dataText = dataText;
    this.#timeoutAt = timeoutAt;
    this.#timeoutDirty = timeoutIsNew;
  }

  get dataText(): string | undefined {
    return this.#dataText;
  }

  setDataText(text: string | undefined): void {
    this.#dataText = text;
    this.#dataDirty = true;
  }

  /** The fields to send with the next write; clears the dirty flags. */
  take(): ExecutionPatch {
    const patch: ExecutionPatch = {};
    if (this.#dataDirty && this.#dataText !== undefined) patch.data = this.#dataText;
    if (this.#timeoutDirty && this.#timeoutAt) patch.timeoutAt = this.#timeoutAt;
    this.#dataDirty = false;
    this.#timeoutDirty = false;
    return patch;
  }

  /** A write that carried `patch` failed: its fields go with the next write instead. */
  restore(patch: ExecutionPatch): void {
    if (patch.data !== undefined && !this.#dataDirty) this.#dataDirty = true;
    if (patch.timeoutAt !== undefined) this.#timeoutDirty = true;
  }
}
