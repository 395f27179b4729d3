import {
  type ClaimedWork,
  type ExecutionStatus,
  isTerminal,
  type ListFilter,
  type PurgeFilter,
  StoreUnavailableError,
  TERMINAL_STATUSES,
} from "@zart/core";
import { parseRow, parseSteps } from "./codec.js";

/** One unit of the claim script's reply. */
type ClaimedReply = ["execution" | "child", string, string, number, string[], string[]];

/** Turns the claim script's reply into claimed work (execution or child, with the full history). */
export function parseClaimed(reply: unknown): ClaimedWork[] {
  return (reply as ClaimedReply[]).map(([kind, executionId, token, position, row, stepValues]) => {
    const execution = parseRow(row);
    if (execution === undefined) {
      throw new StoreUnavailableError(
        `Claimed execution "${executionId}" has no row; the keyspace is corrupt.`,
      );
    }
    const steps = parseSteps(stepValues);
    if (kind === "execution") return { kind, lease: { executionId, token }, execution, steps };
    const child = steps.find((step) => step.position === position);
    if (child === undefined) {
      throw new StoreUnavailableError(`Claimed child ${position} of "${executionId}" has no step row.`);
    }
    return { kind, lease: { executionId, token, childPosition: position }, execution, steps, child };
  });
}

/** The sorted-set index (key suffix after the base) that answers a list filter. */
export function listIndex(filter: Pick<ListFilter, "status" | "taskName">): string {
  const { status, taskName } = filter;
  if (status !== undefined && taskName !== undefined) return `task-status:${status}:${taskName}`;
  if (status !== undefined) return `status:${status}`;
  if (taskName !== undefined) return `task:${taskName}`;
  return "created";
}

/** The terminal statuses a purge deletes (non-terminal ones asked for are ignored: never purged). */
export function purgeStatuses(filter: PurgeFilter): ExecutionStatus[] {
  const wanted = filter.statuses ?? TERMINAL_STATUSES;
  return [...new Set(wanted.filter(isTerminal))];
}
