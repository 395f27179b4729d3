import { existsSync } from "node:fs";
import { type StoreLoader, ValidationError } from "@zart/core/store";
import { SqliteScheduler } from "./sqlite-scheduler.js";

/**
 * Opens `sqlite:./zart.db`, `sqlite:///abs/path.db`, `sqlite::memory:` and `file:` URLs. (The CLI
 * also sends it bare file paths, as `sqlite:<path>`.)
 */
export const storeLoader: StoreLoader = {
  schemes: ["sqlite", "file"],
  embedded: true,
  open(url, options = {}) {
    return new SqliteScheduler({ path: sqlitePath(url), ...(options.clock ? { clock: options.clock } : {}) });
  },
  exists(url) {
    const path = sqlitePath(url);
    return path === ":memory:" || existsSync(path);
  },
};

/** The file a `sqlite:` / `file:` URL names. */
export function sqlitePath(url: string): string {
  const match = /^(?:sqlite|file):(.*)$/i.exec(url.trim());
  const rest = match?.[1] ?? "";
  const path = rest.startsWith("//") ? rest.slice(2) : rest;
  if (path === "")
    throw new ValidationError(`The database URL "${url}" names no file; use e.g. sqlite:./zart.db.`);
  return path;
}
