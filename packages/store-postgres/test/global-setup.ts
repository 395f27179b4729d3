import type { TestProject } from "vitest/node";
import { type EmbeddedServer, startEmbeddedPostgres } from "./support/embedded-postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the embedded server this globalSetup started (unset when `ZART_TEST_POSTGRES_URL` is). */
    zartPostgresUrl?: string;
  }
}

let server: EmbeddedServer | undefined;

/**
 * Starts ONE embedded PostgreSQL for the whole run unless `ZART_TEST_POSTGRES_URL` is set, and
 * hands its URL to the test files (`inject("zartPostgresUrl")`). Used by this package's
 * `vitest.config.ts`; when the tests run from the repository root without it, each file starts
 * its own embedded server instead (see `support/test-database.ts`).
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.ZART_TEST_POSTGRES_URL) return;
  server = await startEmbeddedPostgres();
  project.provide("zartPostgresUrl", server.url);
}

export async function teardown(): Promise<void> {
  await server?.destroy();
}
