import { defineConfig } from "drizzle-kit";

/**
 * `npx drizzle-kit generate` (from this package) writes the SQL migrations `migrate()` applies.
 * They are generated for the schema `zart`; the migrator substitutes the configured schema name.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/drizzle-kit-entry.ts",
  out: "./drizzle",
});
