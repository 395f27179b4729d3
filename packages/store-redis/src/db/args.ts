import type { ExecutionPatch } from "@zart/core/store";

/** An optional script argument: `""` when absent, `"=" + value` when present (see the Lua `opt`). */
export function optional(value: string | undefined): string {
  return value === undefined ? "" : `=${value}`;
}

/** A time as integer milliseconds; `""` when absent. */
export function millis(date: Date | undefined): string {
  return date === undefined ? "" : String(date.getTime());
}

/** The two patch arguments every fenced write takes: `data`, `timeoutAt` (both optional). */
export function patchArgs(patch: ExecutionPatch): [string, string] {
  return [optional(patch.data), optional(patch.timeoutAt && millis(patch.timeoutAt))];
}
