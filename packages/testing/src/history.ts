import { deepStrictEqual } from "node:assert/strict";
import type { DurableExecutionStatus, ErrorInfo, StepKind, StepStatus } from "@zart/core";

/** One entry of an execution's history, as `env.history(id)` returns it. */
export interface HistoryEntry {
  name: string;
  kind: StepKind;
  status: StepStatus;
  attempts: number;
  result?: unknown;
  error?: ErrorInfo;
}

/** What `assertHistory` compares: a step name, or the fields of an entry to check. */
export type ExpectedEntry = string | Partial<HistoryEntry>;

export function historyOf(status: DurableExecutionStatus): HistoryEntry[] {
  return status.steps.map((step) => ({
    name: step.name,
    kind: step.kind,
    status: step.status,
    attempts: step.attempts,
    ...(step.result !== undefined ? { result: step.result } : {}),
    ...(step.error ? { error: step.error } : {}),
  }));
}

/**
 * Throws an `AssertionError` (understood by vitest, jest and node:test) unless `actual` has exactly
 * the expected entries, in order. Only the fields given in each expected entry are compared.
 */
export function assertHistory(executionId: string, actual: HistoryEntry[], expected: ExpectedEntry[]): void {
  const want = expected.map((entry) => (typeof entry === "string" ? { name: entry } : entry));
  const got = actual.map((entry, i) => {
    const fields = Object.keys(want[i] ?? { name: true }) as (keyof HistoryEntry)[];
    return Object.fromEntries(fields.map((field) => [field, entry[field]]));
  });
  try {
    deepStrictEqual(got, want);
  } catch (error) {
    if (error instanceof Error) error.message = `History of execution "${executionId}": ${error.message}`;
    throw error;
  }
}
