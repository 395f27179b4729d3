import { fromJsonText } from "../json.js";
import type { StepRecord } from "../scheduler/records.js";

/** The prefix of a children wait's step name (`wait:<task names>`); "#" is reserved for occurrences. */
const WAIT_PREFIX = "wait:";

/** The name of the step that waits for children of these tasks. */
export function childWaitStepName(taskNames: readonly string[]): string {
  return `${WAIT_PREFIX}${[...new Set(taskNames)].join(",")}`.replaceAll("#", "_");
}

/**
 * A children wait's step result: each child's result text (null = `undefined`) in handle order, so
 * every value round-trips, `undefined` included.
 */
export function encodeChildResults(texts: readonly (string | undefined)[]): string {
  return JSON.stringify(texts.map((text) => text ?? null));
}

export function decodeChildResults(text: string | undefined): unknown[] {
  const texts = fromJsonText<(string | null)[]>(text) ?? [];
  return texts.map((entry) => (entry === null ? undefined : fromJsonText(entry)));
}

/**
 * A step's result as status() shows it: a children wait's results decoded (not the texts it
 * stores); any other step's value as stored. A user step named like a wait keeps its value.
 */
export function stepResultValue(step: Pick<StepRecord, "name" | "kind" | "result">): unknown {
  const value = fromJsonText(step.result);
  const isWait = step.kind === "child" && step.name.startsWith(WAIT_PREFIX);
  return isWait && Array.isArray(value) && value.every((entry) => entry === null || typeof entry === "string")
    ? decodeChildResults(step.result)
    : value;
}
