import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { StoreLoader } from "@zart/core/store";
import { CommandFailed, UsageError } from "./cli-error.js";

/**
 * The stores the CLI knows by scheme, and the package that opens each. They are optional peer
 * dependencies: a package is imported only when a URL needs it.
 */
export const KNOWN_STORES: Readonly<Record<string, string>> = Object.freeze({
  memory: "@zart/store-memory",
  sqlite: "@zart/store-sqlite",
  file: "@zart/store-sqlite",
  postgres: "@zart/store-postgres",
  postgresql: "@zart/store-postgres",
  redis: "@zart/store-redis",
  rediss: "@zart/store-redis",
});

/** Where the lookup reads from; tests replace the known stores. */
export interface StoreLookup {
  /** Scheme → package name. Default {@link KNOWN_STORES}. */
  known?: Readonly<Record<string, string>>;
  /** Third-party store modules, asked first. Default: `ZART_STORE_MODULES`. */
  modules?: readonly string[];
}

/** `ZART_STORE_MODULES`: comma-separated package names or file paths of third-party stores. */
export function storeModules(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ZART_STORE_MODULES ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** The loader of the store that opens `scheme:` URLs: a third-party module's, else a known package's. */
export async function findStoreLoader(scheme: string, lookup: StoreLookup = {}): Promise<StoreLoader> {
  for (const module of lookup.modules ?? storeModules()) {
    const loader = await importLoader(module, `ZART_STORE_MODULES names ${module}, which`);
    if (loader.schemes.includes(scheme)) return loader;
  }
  const known = lookup.known ?? KNOWN_STORES;
  const packageName = Object.hasOwn(known, scheme) ? known[scheme] : undefined;
  if (packageName === undefined) {
    throw new UsageError(
      `No store opens "${scheme}:" URLs; use sqlite:./zart.db, postgres://…, redis://… or memory:, or name the ` +
        "package of a third-party store in ZART_STORE_MODULES.",
    );
  }
  return importLoader(packageName, `The ${scheme}: store (${packageName})`);
}

/** Imports a store module and returns its `storeLoader`; `what` starts the messages. */
async function importLoader(specifier: string, what: string): Promise<StoreLoader> {
  let module: Record<string, unknown>;
  try {
    module = (await import(importable(specifier))) as Record<string, unknown>;
  } catch (error) {
    if (isMissing(error, specifier)) {
      throw new CommandFailed(`${what} is not installed; install it with \`npm install ${specifier}\`.`);
    }
    const reason = (error as Error).message?.split("\n")[0] ?? String(error);
    throw new CommandFailed(`${what} could not be loaded: ${reason}`);
  }
  const loader = module.storeLoader as Partial<StoreLoader> | undefined;
  if (!Array.isArray(loader?.schemes) || typeof loader.open !== "function") {
    throw new CommandFailed(`${what} does not export a \`storeLoader\` (see @zart/core/store StoreLoader).`);
  }
  return loader as StoreLoader;
}

/** File paths are imported by URL (relative to the working directory); package names as they are. */
function importable(specifier: string): string {
  if (!specifier.startsWith(".") && !isAbsolute(specifier)) return specifier;
  return pathToFileURL(resolve(specifier)).href;
}

/** The import failed because `specifier` itself is absent (not one of its own imports). */
function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "ERR_MODULE_NOT_FOUND" && (message ?? "").includes(`'${specifier}'`);
}
