import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { StartManyItem } from "@zart/core";
import { UsageError } from "./cli-error.js";

/** The fields of one item, as the HTTP batch route takes them. */
const FIELDS = new Set(["task_name", "execution_id", "data", "run_at"]);

/**
 * The items of `zart start --from-file`: a `.json` file holding an array of items (or
 * `{ "items": [...] }`), any other file one JSON item per line (JSON Lines; blank lines skipped).
 * Each item is `{ task_name?, execution_id?, data?, run_at? }`; `task_name` defaults to
 * `defaultTask`, `execution_id` to `<task>-<random>`. A malformed item refuses the whole file.
 */
export async function readStartItems(
  path: string,
  defaultTask: string | undefined,
): Promise<StartManyItem[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  const entries = path.endsWith(".json") ? jsonEntries(text, path) : jsonLinesEntries(text, path);
  return entries.map(({ value, where }) => toItem(value, where, defaultTask));
}

function jsonEntries(text: string, path: string): { value: unknown; where: string }[] {
  const parsed = parse(text, path);
  const list = Array.isArray(parsed) ? parsed : (parsed as { items?: unknown } | null)?.items;
  if (!Array.isArray(list))
    throw new UsageError(`${path}: expected an array of items or { "items": [...] }.`);
  return list.map((value, index) => ({ value, where: `${path} item ${index}` }));
}

function jsonLinesEntries(text: string, path: string): { value: unknown; where: string }[] {
  return text.split("\n").flatMap((line, index) => {
    if (line.trim() === "") return [];
    const where = `${path}:${index + 1}`;
    return [{ value: parse(line, where), where }];
  });
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: not JSON (${(error as Error).message}).`);
  }
}

function toItem(value: unknown, where: string, defaultTask: string | undefined): StartManyItem {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: an item must be a JSON object.`);
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) {
    throw new UsageError(`${where}: unknown field "${unknown}" (use task_name, execution_id, data, run_at).`);
  }
  const task = fields.task_name ?? defaultTask;
  if (typeof task !== "string") {
    throw new UsageError(`${where}: task_name must be a string (or give the task as the argument).`);
  }
  const id = fields.execution_id ?? `${task}-${randomUUID().slice(0, 8)}`;
  if (typeof id !== "string") throw new UsageError(`${where}: execution_id must be a string.`);
  const item: StartManyItem = { executionId: id, taskName: task, data: fields.data ?? null };
  if (fields.run_at !== undefined) item.options = { runAt: runAt(fields.run_at, where) };
  return item;
}

function runAt(value: unknown, where: string): Date {
  const date = typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new UsageError(`${where}: run_at must be an ISO-8601 date-time such as 2030-01-31T09:00:00Z.`);
  }
  return date;
}
