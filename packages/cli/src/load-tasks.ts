import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isTaskDefinition, type TaskDefinition } from "@zart/core";
import { CommandFailed, UsageError } from "./cli-error.js";
import { resolveZartFromCli } from "./task-resolution.js";

/**
 * Imports each module and collects every export that is a task definition (made by `defineTask`),
 * the default export included. A module exporting none is an error. TypeScript modules are loaded
 * through tsx when it is installed. A module that cannot resolve `@zart/core` or `zod` itself gets
 * the CLI's own.
 */
export async function loadTaskModules(
  files: readonly string[],
  cwd = process.cwd(),
): Promise<TaskDefinition[]> {
  const tasks = new Set<TaskDefinition>();
  resolveZartFromCli();
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
  if (/\.[cm]?tsx?$/.test(path)) await enableTypeScript(file);
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const hint = /\.tsx?$/.test(path)
      ? ' (TypeScript task modules must be ES modules: name the file .mts or add "type": "module" to its package.json)'
      : "";
    throw loadError(file, error, hint);
  }
}

/** Set by bin/zart.js when it already runs the CLI through tsx. */
const TSX_MARK = Symbol.for("zart.cli.tsx");

/** Registers tsx's ESM and CommonJS loaders (once), so TypeScript task modules can be imported. */
async function enableTypeScript(file: string): Promise<void> {
  const global = globalThis as Record<symbol, unknown>;
  if (global[TSX_MARK]) return;
  try {
    (await importTsx("tsx/esm/api")).register();
    (await importTsx("tsx/cjs/api")).register();
    global[TSX_MARK] = true;
  } catch {
    throw new UsageError(
      `--tasks: cannot load ${file}: TypeScript needs tsx (npm i -D tsx) or compile the module to JavaScript.`,
    );
  }
}

/** tsx from the CLI's own dependencies, else from the current directory's. */
async function importTsx(specifier: string): Promise<{ register: () => unknown }> {
  try {
    return (await import(specifier)) as { register: () => unknown };
  } catch {
    const path = createRequire(join(process.cwd(), "tasks.js")).resolve(specifier);
    return (await import(pathToFileURL(path).href)) as { register: () => unknown };
  }
}

function loadError(file: string, error: unknown, hint = ""): Error {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new CommandFailed(`--tasks: ${file} failed to load: ${reason}${hint}`);
}
