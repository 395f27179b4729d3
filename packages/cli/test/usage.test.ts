import { afterAll, describe, expect, it } from "vitest";
import { oneLine, tempDir, zart } from "./helpers.js";

// The real binary in a child process; more flag variations run in-process in run-cli.test.ts.
const { dir, cleanup } = tempDir();
afterAll(cleanup);
const run = (...args: string[]) => zart(args, { cwd: dir });

describe.concurrent("the zart binary: usage", () => {
  it("--help lists every command and exits 0", async () => {
    const res = await run("--help");
    expect(res.code).toBe(0);
    for (const command of [
      "serve",
      "start",
      "event",
      "status",
      "list",
      "cancel",
      "wait",
      "purge",
      "migrate",
    ]) {
      expect(res.stdout).toContain(command);
    }
  });

  it("no command prints the help on stderr and exits 2", async () => {
    const res = await run();
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Usage: zart");
  });

  it.each([
    [["statuz", "x"], /unknown command 'statuz'.*Did you mean status/],
    [["start", "t", "--bogus"], /unknown option '--bogus'/],
    [["event", "e1", "go", "--data", "{'a':1}"], /--data <json>.*not valid JSON/],
    [["event", "e1"], /missing required argument 'event_name'/],
    [["wait", "e1", "--timeout", "soon"], /--timeout.*duration/],
    [
      ["status", "x", "--db", "mysql://user:hunter2@localhost/db"],
      /Unsupported database URL "mysql:\/\/user:\*\*\*@/,
    ],
  ])("zart %j exits 2 with one line on stderr", async (args, message) => {
    const res = await run(...args);
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toMatch(message);
    expect(res.stdout).toBe("");
  });

  it("refuses to serve on a non-loopback host without a token, and says why", async () => {
    const res = await run("serve", "--host", "0.0.0.0", "--port", "0", "--db", "memory:");
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toMatch(/Refusing to listen on 0\.0\.0\.0 without an API token/);
  });
});
