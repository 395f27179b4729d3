import { runConformance } from "@zart/conformance";
import { afterAll, beforeAll, inject } from "vitest";
import { PostgresScheduler } from "../src/index.js";
import { type TestDatabase, truncate, useTestDatabase } from "./support/test-database.js";

let db: TestDatabase | undefined;
const ready = useTestDatabase("conformance", inject("zartPostgresUrl")).then((value) => {
  db = value;
  return value;
});

beforeAll(async () => {
  await ready;
});

afterAll(async () => {
  await db?.dispose();
});

runConformance({
  name: "postgres",
  create: async (clock) => {
    const { url, schema } = await ready;
    return new PostgresScheduler({ connectionString: url, schema, clock, poolSize: 6 });
  },
  reset: async () => {
    const { admin, schema } = await ready;
    await truncate(admin, schema);
  },
});
