import { defineConfig } from "drizzle-kit";

/** `npx drizzle-kit generate` (from this package) writes the migrations `migrate()` applies. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
