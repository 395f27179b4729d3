import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { colorEnabled, Progress, redact, runCli } from "../src/index.js";

// In-process: many flag variations quickly. The binary itself is tested in usage.test.ts.
let stdout = "";
let stderr = "";
beforeEach(() => {
  stdout = "";
  stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe("runCli", () => {
  it.each([
    [["start", "t", "--data", "{bad json"], /--data <json>.*not valid JSON/],
    [["start", "t", "--data"], /argument missing/],
    [["status"], /missing required argument 'execution_id'/],
    [["list", "--limit", "0"], /--limit.*positive whole number/],
    [["list", "--limit", "2.5"], /--limit/],
    [["list", "--offset", "-1"], /--offset|unknown option/],
    [["list", "--status", "done"], /--status.*Use one of/],
    [["purge"], /required option '--older-than <duration>'/],
    [["purge", "--older-than", "30x"], /--older-than.*duration/],
    [["purge", "--older-than", "1d", "--status", "finished"], /--status.*Use one of/],
    [["serve", "--port", "99999"], /--port.*0 to 65535/],
    [["serve", "--concurrency", "0"], /--concurrency/],
    [["serve", "--prefetch", "-1"], /--prefetch|unknown option/],
    [["serve", "--prefetch", "1.5"], /--prefetch.*whole number, 0 or more/],
    [["start", "t", "--run-at", "tomorrow"], /--run-at.*ISO-8601/],
    [["start", "t", "--delay", "-5s"], /--delay/],
    [["status", "x", "--db", "sqlite:"], /names no file/],
    [["cancel", "a", "b"], /too many arguments/],
    [["serve", "--tasks", "no-such-file.ts"], /no such file/],
    [["serve", "--tasks", `${import.meta.dirname}/fixtures/no-tasks.mjs`], /exports no task definitions/],
  ])("zart %j → exit 2 and one line", async (args, message) => {
    expect(await runCli(args)).toBe(2);
    const lines = stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toMatch(/^error: /);
  });

  it("--version and --help exit 0", async () => {
    expect(await runCli(["--version"])).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await runCli(["status", "--help"])).toBe(0);
    expect(stdout).toContain("--json");
  });

  it("every read command has --json and --db", async () => {
    for (const command of ["status", "list", "wait", "event", "start", "cancel", "purge", "migrate"]) {
      stdout = "";
      expect(await runCli([command, "--help"])).toBe(0);
      expect(stdout).toContain("--json");
      expect(stdout).toContain("--db <url>");
    }
  });
});

describe("database URLs", () => {
  it("redacts passwords", () => {
    expect(redact("postgres://zart:s3cret@db:5432/zart")).toBe("postgres://zart:***@db:5432/zart");
    expect(redact("redis://:s3cret@cache:6379")).toBe("redis://:***@cache:6379");
    expect(redact("sqlite:./zart.db")).toBe("sqlite:./zart.db");
  });
});

describe("terminal output", () => {
  it("colour: TTY or FORCE_COLOR; NO_COLOR always wins; TERM=dumb turns it off", () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  it("progress draws only on a TTY and erases its line when done", () => {
    const drawn: string[] = [];
    const tty = new Progress({ isTTY: true, write: (text: string) => drawn.push(text) });
    tty.start("waiting for x");
    tty.update("waiting for x: running");
    tty.stop();
    expect(drawn[0]).toContain("waiting for x");
    expect(drawn.at(-1)).toBe("\r\x1b[2K");
    const silent: string[] = [];
    const pipe = new Progress({ isTTY: false, write: (text: string) => silent.push(text) });
    pipe.start("waiting");
    pipe.stop();
    expect(silent).toEqual([]);
  });
});
