import { type ExecutionStatus, isTerminal, TERMINAL_STATUSES } from "@zart/core";
import {
  type ClaimedWork,
  childLease,
  executionLease,
  type ListFilter,
  type PurgeFilter,
} from "@zart/core/store";
import { fromStoredStep, parseRowFields, type StoredStep } from "./codec.js";

/** One unit of the claim script's JSON reply; a child's ends with its own stored step. */
type ClaimedReply =
  | ["execution", string, string, number, Record<string, string>, StoredStep[]]
  | ["child", string, string, number, Record<string, string>, StoredStep[], StoredStep];

/** Turns the claim script's reply (JSON text) into claimed work (an execution, or a child with its own step). */
export function parseClaimed(reply: unknown): ClaimedWork[] {
  return (JSON.parse(reply as string) as ClaimedReply[]).map((unit) => {
    const [, executionId, token, position, row, stored] = unit;
    const execution = parseRowFields(row);
    const steps = stored.map(fromStoredStep).sort((a, b) => a.position - b.position);
    if (unit[0] === "execution") {
      return { kind: "execution", lease: executionLease(executionId, token), execution, steps };
    }
    const child = fromStoredStep(unit[6]);
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
