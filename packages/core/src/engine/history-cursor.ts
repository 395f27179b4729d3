import { NonDeterminismError, ValidationError } from "../errors.js";
import type { StepRecord } from "../scheduler/records.js";
import type { StepKind } from "../scheduler/vocabularies.js";
import { describeTask } from "../task/task-registry.js";
import { assertId } from "../validation.js";

/** A slot in the history claimed by one context operation. */
export interface Slot {
  position: number;
  stepName: string;
  recorded?: StepRecord;
}

/** A step name as user code passes it: an id without `#`, which marks repeated names. */
export function assertStepName(name: string): void {
  assertId(name, "step name");
  if (name.includes("#")) {
    throw new ValidationError(
      `Step name "${name}" contains "#", which is reserved for the suffixes of repeated names (notify#1); choose another name.`,
    );
  }
}

/**
 * The history read at claim time and the position the next context operation claims. Replay must
 * meet the same names, of the same kinds, in the same order.
 */
export class HistoryCursor {
  readonly history: Map<number, StepRecord>;
  #nextPosition = 0;
  readonly #occurrences = new Map<string, number>();

  /** The code replaying: a non-determinism error names it (task and version). */
  readonly #task: { name: string; version?: string };

  constructor(steps: readonly StepRecord[], task: { name: string; version?: string }) {
    this.history = new Map(steps.map((step) => [step.position, step]));
    this.#task = task;
  }

  /**
   * Claims the next position for an operation named `name`: repeated names get an occurrence
   * suffix (`notify`, `notify#1`). Returns the non-determinism error when the history recorded
   * another operation there.
   */
  next(name: string, kind: StepKind): Slot | NonDeterminismError {
    const occurrence = this.#occurrences.get(name) ?? 0;
    this.#occurrences.set(name, occurrence + 1);
    const stepName = occurrence === 0 ? name : `${name}#${occurrence}`;
    const position = this.#nextPosition++;
    const recorded = this.history.get(position);
    if (recorded && (recorded.name !== stepName || recorded.kind !== kind)) {
      return new NonDeterminismError(
        `Replay of ${describeTask(this.#task)} diverged at position ${position}: the history has ${recorded.kind} "${recorded.name}" but the code now calls ${kind} "${stepName}". Keep step order stable for running executions (or put the change behind ctx.patched, or deploy it as a new task version).`,
        {
          details: {
            position,
            recorded: recorded.name,
            called: stepName,
            version: this.#task.version ?? null,
          },
        },
      );
    }
    return recorded ? { position, stepName, recorded } : { position, stepName };
  }

  /** The history record at the position the next operation would claim. */
  nextRecorded(): StepRecord | undefined {
    return this.history.get(this.#nextPosition);
  }
}
