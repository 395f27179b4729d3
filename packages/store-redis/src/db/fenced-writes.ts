import { randomUUID } from "node:crypto";
import type { ExecutionPatch, Lease, SerializedError, StepWrite } from "@zart/core/store";
import { translateError } from "../translate-error.js";
import { millis, optional, patchArgs } from "./args.js";
import { Batcher } from "./batcher.js";
import { encodeError, encodeStep } from "./codec.js";
import type { ScriptExecutor } from "./executor.js";

/** One fenced worker write of the hot path (see the `fencedWrites` script). */
export type FencedWrite =
  | { op: "step"; lease: Lease; step: StepWrite; patch: ExecutionPatch }
  | { op: "complete"; lease: Lease; result: string | undefined; patch: ExecutionPatch; now: Date }
  | { op: "fail"; lease: Lease; error: SerializedError; patch: ExecutionPatch; now: Date };

/** The most writes in one script call (its reply and argument list stay small). */
const MAX_BATCH = 256;
/** Batches in flight at once on the connection. */
const MAX_IN_FLIGHT = 2;

/**
 * The step writes, completions and failures of one scheduler, batched: the writes made in one
 * event-loop turn (under load, those of many executions) go as ONE `fencedWrites` script call,
 * each fenced by its own lease and answering on its own, so a lost lease is still detected per
 * write. Resolves each write with its reply: 1, or the id of the parent a finished child woke.
 */
export class FencedWrites {
  readonly #executor: ScriptExecutor;
  readonly #origin: string;
  readonly #batcher: Batcher<FencedWrite>;
  readonly #parentWoken: (parentId: string) => void;

  /**
   * `parentWoken` gets the id of each parent a finished child woke, when the batch returns (here,
   * not in a `then` per completion: one promise fewer per execution).
   */
  constructor(executor: ScriptExecutor, origin: string, parentWoken: (parentId: string) => void) {
    this.#executor = executor;
    this.#origin = origin;
    this.#parentWoken = parentWoken;
    this.#batcher = new Batcher({
      maxBatch: MAX_BATCH,
      maxInFlight: MAX_IN_FLIGHT,
      send: (writes) => this.#send(writes),
    });
  }

  /** Queues `write` for the next batch; rejects with `LeaseLostError` when its lease is lost. */
  submit(write: FencedWrite): Promise<unknown> {
    try {
      this.#executor.ensureOpen();
    } catch (error) {
      // A rejection, never a throw: callers return this promise without an `async` wrapper.
      return Promise.reject(error);
    }
    return this.#batcher.submit(write);
  }

  async #send(writes: FencedWrite[]): Promise<unknown[]> {
    // The writes go as ONE argument, a JSON array of strings the script decodes at once: a few
    // hundred separate arguments cost the client more (per-argument encoding) than one text.
    const fields: string[] = [];
    for (const write of writes) encode(write, fields);
    const args = [randomUUID(), this.#origin, JSON.stringify(fields)];
    const replies = (await this.#executor.runGlobal("fencedWrites", args)) as unknown[];
    return replies.map((reply, i) => {
      if (typeof reply === "string") this.#parentWoken(reply);
      if (!(reply instanceof Error)) return reply;
      const { lease } = writes[i] as FencedWrite;
      return translateError(reply, { executionId: lease.executionId, lease });
    });
  }
}

/** Appends a write's `FENCED_WRITE_WIDTH` fields (all strings) to `fields`. */
function encode(write: FencedWrite, fields: string[]): void {
  const { lease, patch } = write;
  const [data, timeoutAt] = patchArgs(patch);
  fields.push(write.op, lease.executionId, lease.token, data, timeoutAt);
  switch (write.op) {
    case "step": {
      const { step } = write;
      fields.push(String(step.position), step.kind, step.status, encodeStep(step));
      return;
    }
    case "complete":
      fields.push(optional(write.result), millis(write.now), "", "");
      return;
    case "fail":
      fields.push(encodeError(write.error), millis(write.now), "", "");
      return;
  }
}
