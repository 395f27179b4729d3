import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isTaskDefinition, type TaskDefinition } from "@zart/core";
import { CommandFailed, UsageError } from "./cli-error.js";

/**
 * Imports each module and collects every export that is a task definition (made by `defineTask`),
 * the default export included. A module exporting none is an error. TypeScript modules are loaded
 * through tsx when it is installed.
 */
export async function loadTaskModules(
  files: readonly string[],
  cwd = process.cwd(),
): Promise<TaskDefinition[]> {
  const tasks = new Set<TaskDefinition>();
  for (const file of files) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new UsageError(`--tasks: no such file: ${file}`);
    const module = await importModule(path, file);
    const found = Object.values(module).filter(isTaskDefinition);
    if (found.length === 0) {
      throw new UsageError(`--tasks: ${file} exports no task definitions (values made by defineTask).`);
    }
    for (const task of found) tasks.add(task);
  }
  return [...tasks];
}

async function importModule(path: string, file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw loadError(file, error);
  }
  // A .ts file under plain Node: register tsx's loader if it is installed, then try again.
  try {
    const tsx = (await import("tsx/esm/api" as string)) as { register: () => unknown };
    tsx.register();
  } catch {
    throw new UsageError(
      `--tasks: cannot load ${file}: TypeScript needs tsx (npm i -D tsx) or compile the module to JavaScript.`,
    );
  }
  try {
    // A new URL: Node caches the failed load of the first one.
    return (await import(`${url}?tsx`)) as Record<string, unknown>;
  } catch (error) {
    throw loadError(file, error);
  }
}

function loadError(file: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new CommandFailed(`--tasks: ${file} failed to load: ${reason}`);
}
