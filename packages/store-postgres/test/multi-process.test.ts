import { multiProcessSuite } from "@zart/conformance";
import { afterAll, inject } from "vitest";
import { type TestDatabase, useTestDatabase } from "./support/test-database.js";

let db: TestDatabase | undefined;
const ready = useTestDatabase("multi", inject("zartPostgresUrl")).then((value) => {
  db = value;
  return value;
});

afterAll(async () => {
  await db?.dispose();
});

// Worker processes on one database, each test in a schema of its own.
multiProcessSuite({
  name: "postgres",
  opener: new URL("./support/opener.ts", import.meta.url),
  storage: async () => {
    const { url, newSchema } = await ready;
    return JSON.stringify({ url, schema: newSchema() });
  },
});
