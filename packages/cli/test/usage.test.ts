import { writeFileSync } from "node:fs";
import { join } from "node:path";
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
      "runs",
      "workers",
      "queues",
      "list",
      "cancel",
      "bulk",
      "retry",
      "rerun",
      "pause",
      "resume",
      "pause-rules",
      "wait",
      "purge",
      "migrate",
      "schedule",
      "completion",
    ]) {
      expect(res.stdout).toContain(command);
    }
  });

  it("help shows duration defaults as written, not in milliseconds", async () => {
    const [wait, serve] = await Promise.all([run("wait", "--help"), run("serve", "--help")]);
    expect(wait.stdout).toMatch(/\(default: 5m\)/);
    expect(serve.stdout).toMatch(/--shutdown-timeout <duration>[\s\S]*\(default: 30s\)/);
    expect(serve.stdout).not.toMatch(/300000|30000\b/);
  });

  it("completion: prints bash and zsh scripts", async () => {
    const [bash, zsh] = await Promise.all([run("completion", "bash"), run("completion", "zsh")]);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain("zart complete --");
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain("#compdef zart");
  });

  it("completion: suggests commands, options and option choices", async () => {
    const [commands, levels] = await Promise.all([
      run("complete", "--", "sta"),
      run("complete", "--", "serve", "--log-level", ""),
    ]);
    expect(commands.stdout.split("\n").map((line) => line.split("\t")[0])).toEqual(
      expect.arrayContaining(["start", "status"]),
    );
    expect(levels.stdout).toMatch(/^warn\t/m);
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
      /^error: No store opens "mysql:" URLs; .*ZART_STORE_MODULES\.$/,
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

  it("loads task modules from a directory without node_modules (.mjs, .mts); an ambiguous .ts gets a hint", async () => {
    const task = (name: string, types = "") => `import { defineTask } from "@zart/core";
export const t = defineTask({ name: "${name}", async run(ctx, data${types}) { return data; } });
`;
    writeFileSync(join(dir, "a.mjs"), task("from-mjs"));
    writeFileSync(join(dir, "b.mts"), task("from-mts", ": unknown"));
    writeFileSync(join(dir, "c.ts"), task("from-ts", ": unknown"));
    const ok = await run("start", "from-mts", "--tasks", "a.mjs", "b.mts", "--db", "memory:", "--json");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const unknown = await run("start", "nope", "--tasks", "a.mjs", "b.mts", "--db", "memory:");
    expect(oneLine(unknown.stderr)).toMatch(/TASK_NOT_REGISTERED/);
    const ambiguous = await run("start", "from-ts", "--tasks", "c.ts", "--db", "memory:");
    expect(ambiguous.code).toBe(1);
    expect(oneLine(ambiguous.stderr)).toMatch(/must be ES modules: name the file \.mts/);
  });
});
