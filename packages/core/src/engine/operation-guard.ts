import { ConcurrentOperationError, NestedStepError } from "../errors.js";
import { currentScope } from "./ambient.js";

/**
 * The rules user code must follow when calling durable operations, checked at call time:
 * one operation in flight at a time (`ConcurrentOperationError`), none inside a step body
 * (`NestedStepError`), and every scheduled parallel step handed to a wait (`unawaited`).
 * A broken rule fails the execution: `fatal` records the error and returns it to throw.
 */
export class OperationGuard {
  readonly #fatal: (error: Error) => Error;
  /** The operation awaited by user code right now. */
  #active: string | undefined;
  /** Parallel steps scheduled but not yet passed to a wait, by position. */
  readonly #unawaited = new Map<number, string>();

  constructor(fatal: (error: Error) => Error) {
    this.#fatal = fatal;
  }

  /** Checks the call of operation `name`; an awaited one is in flight until `leave()`. */
  enter(name: string, awaited: boolean): void {
    const outer = currentScope()?.step;
    if (outer !== undefined) throw this.#fatal(new NestedStepError(name, outer));
    if (!awaited) return;
    if (this.#active !== undefined) throw this.#fatal(new ConcurrentOperationError(this.#active, name));
    this.#active = name;
  }

  /** Ends the operation in flight. */
  leave(): void {
    this.#active = undefined;
  }

  scheduled(position: number, stepName: string): void {
    this.#unawaited.set(position, stepName);
  }

  /** `waitAll` / `waitAllSettled` on `positions` begins: those handles are awaited. */
  enterWait(positions: readonly number[]): void {
    this.enter("waitAll", true);
    for (const position of positions) this.#unawaited.delete(position);
  }

  /** Names of the parallel steps scheduled but never passed to a wait. */
  get unawaited(): string[] {
    return [...this.#unawaited.values()];
  }
}
