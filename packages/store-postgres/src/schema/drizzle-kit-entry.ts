import { createTables } from "./tables.js";

/**
 * What `drizzle-kit generate` reads (see `drizzle.config.ts`): the tables in the reference schema
 * `zart`. The migrator swaps `"zart"` for the configured schema name when it applies the SQL.
 */
export const {
  schema: zart,
  executions,
  steps,
  events,
  schedules,
  runs,
  workers,
  debounces,
  pauseRules,
  rateWindows,
} = createTables("zart");
