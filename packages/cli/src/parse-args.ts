import { type Duration, EXECUTION_STATUSES, type ExecutionStatus, toMillis } from "@zart/core";
import { InvalidArgumentError } from "commander";

/** `--data '{…}'`: any JSON value. */
export function parseJsonArg(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`It is not valid JSON (${(error as Error).message}).`);
  }
}

/** `--timeout 30s`: a duration (`250ms`, `30s`, `5m`, `24h`, `7d`) or milliseconds. */
export function parseDurationArg(text: string): number {
  try {
    return toMillis((/^\d+$/.test(text) ? Number(text) : text) as Duration);
  } catch {
    throw new InvalidArgumentError("Use a duration such as 500ms, 30s, 5m, 24h or 7d.");
  }
}

/** A positive integer flag (`--limit`, `--concurrency`). */
export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError("Use a positive whole number.");
  }
  return value;
}

/** `--port`: 0–65535 (0 picks a free port). */
export function parsePort(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535) throw new InvalidArgumentError("Use a port from 0 to 65535.");
  return value;
}

/** `--status`: one of the execution statuses. */
export function parseStatus(text: string): ExecutionStatus {
  if (!(EXECUTION_STATUSES as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`Use one of ${EXECUTION_STATUSES.join(", ")}.`);
  }
  return text as ExecutionStatus;
}

/** Variadic `--status a b`: collects into an array. */
export function collectStatus(text: string, previous: ExecutionStatus[] | undefined): ExecutionStatus[] {
  return [...(previous ?? []), parseStatus(text)];
}

/** `--run-at`: an ISO-8601 date-time. */
export function parseDateArg(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new InvalidArgumentError("Use an ISO-8601 date-time such as 2030-01-31T09:00:00Z.");
  }
  return date;
}

/** A non-negative integer flag (`--offset`). */
export function parseNonNegativeInt(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError("Use a whole number, 0 or more.");
  }
  return value;
}
