import { type ExecutionStatus, isTerminal, StoreUnavailableError, TERMINAL_STATUSES } from "@zart/core";
import {
  type ClaimedWork,
  childLease,
  executionLease,
  type ListFilter,
  type PurgeFilter,
} from "@zart/core/store";
import { parseRow, parseStep, parseSteps } from "./codec.js";

/** One unit of the claim script's reply; a child's ends with its own step JSON. */
type ClaimedReply =
  | ["execution", string, string, number, string[], string[]]
  | ["child", string, string, number, string[], string[], string];

/** Turns the claim script's reply into claimed work (an execution, or a child with its own step). */
export function parseClaimed(reply: unknown): ClaimedWork[] {
  return (reply as ClaimedReply[]).map((unit) => {
    const [, executionId, token, position, row, stepValues] = unit;
    const execution = parseRow(row);
    if (execution === undefined) {
      throw new StoreUnavailableError(
        `Claimed execution "${executionId}" has no row; the keyspace is corrupt.`,
      );
    }
    const steps = parseSteps(stepValues);
    if (unit[0] === "execution") {
      return { kind: "execution", lease: executionLease(executionId, token), execution, steps };
    }
    const child = parseStep(unit[6]);
    return { kind: "child", lease: childLease(executionId, token, position), execution, steps, child };
  });
}

/** The sorted-set index (key suffix after the base) that answers a list filter. */
export function listIndex(filter: Pick<ListFilter, "status" | "taskName" | "version" | "queue">): string {
  const { status, taskName, version, queue } = filter;
  if (queue !== undefined) return `queue:${queue}`;
  if (version !== undefined) return `version:${version}`;
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
