import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS_FOLDER } from "../../src/db/migrate.js";

/** How many migrations the package ships (drizzle-kit's journal), so tests follow new ones. */
export const SHIPPED_MIGRATIONS: number = JSON.parse(
  readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
).entries.length;
