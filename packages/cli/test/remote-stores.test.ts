import { describe, expect, it } from "vitest";
import { tempDir, zart } from "./helpers.js";

// The CLI over PostgreSQL and Redis, in a schema / key prefix of its own so the stores' own suites
// (which reset their data) never race it. Runs when the URLs are set (CI sets them).
const STORES = [
  ["PostgreSQL", process.env.ZART_TEST_POSTGRES_URL, "schema=zart_cli_test"],
  ["Redis", process.env.ZART_TEST_REDIS_URL, "prefix=zart-cli-test:"],
] as const;
const required = process.env.ZART_TEST_REQUIRE_ALL === "1";

describe.concurrent("the CLI over remote stores", () => {
  for (const [name, base, param] of STORES) {
    it.skipIf(!base && !required)(`${name}: migrate, start, event, status, list, cancel`, async () => {
      expect(base, "set the store's ZART_TEST_*_URL").toBeTruthy();
      const db = `${base}${base?.includes("?") ? "&" : "?"}${param}`;
      const { dir, cleanup } = tempDir();
      const run = (...args: string[]) => zart([...args, "--db", db], { cwd: dir });
      const id = `cli-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      try {
        expect((await run("migrate")).code).toBe(0);
        // Up to date now: a second run applies nothing and says so.
        const again = await run("migrate", "--json");
        expect(JSON.parse(again.stdout)).toMatchObject({ migrated: true, applied: [] });
        const started = await run("start", "some-task", "--id", id, "--data", '{"n":1}', "--json");
        expect(started.code).toBe(0);
        expect(JSON.parse(started.stdout)).toMatchObject({
          execution_id: id,
          status: "pending",
          payload: { n: 1 },
        });
        const event = await run("event", id, "go", "--data", "[1]", "--json");
        expect(JSON.parse(event.stdout)).toEqual({ status: "delivered", execution_id: id, event_name: "go" });
        const status = await run("status", id, "--json");
        expect(JSON.parse(status.stdout).events).toEqual([
          expect.objectContaining({ event_name: "go", payload: [1] }),
        ]);
        const list = await run("list", "--task", "some-task", "--json");
        expect(
          JSON.parse(list.stdout).executions.map((e: { execution_id: string }) => e.execution_id),
        ).toContain(id);
        const cancelled = await run("cancel", id, "--json");
        expect(JSON.parse(cancelled.stdout)).toEqual({ cancelled: true });
      } finally {
        cleanup();
      }
    });
  }
});
