import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, serve, tempDir, zart } from "./helpers.js";

const JSON_HEADERS = { "content-type": "application/json" };

/** The JSON log lines of `zart serve` (pino on stderr), skipping the final `error:` line if any. */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function statusOf(url: string, id: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v1/executions/${id}`);
  return res.ok ? ((await res.json()) as { status: string }).status : undefined;
}

describe("zart serve operations", () => {
  it("SIGTERM with a hung step: exits 1 after --shutdown-timeout and releases the lease", async () => {
    const { dir, cleanup } = tempDir();
    const db = `sqlite:${join(dir, "ops.db")}`;
    try {
      const served = await serve(
        ["--port", "0", "--db", db, "--tasks", join(FIXTURES, "hung-task.ts"), "--shutdown-timeout", "1s"],
        { cwd: dir },
      );
      const started = await fetch(`${served.url}/api/v1/executions`, {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify({ task_name: "hung", execution_id: "h-1" }),
      });
      expect(started.status).toBe(201);
      while ((await statusOf(served.url, "h-1")) !== "running") await new Promise((r) => setTimeout(r, 20));

      expect(await served.stop()).toBe(1);
      const messages = logLines(served.stderr()).map((line) => line.msg);
      expect(messages).toContain("Stopping: finishing in-flight work (signal again to force)");
      expect(messages).toContain(
        "shutdown timeout reached: abandoning in-flight work and releasing its leases",
      );
      expect(served.stderr().trimEnd().split("\n").at(-1)).toMatch(/^error: in-flight work .* abandoned/);

      // Released, not left to expire: it is due again at once for the next worker.
      const status = await zart(["status", "h-1", "--db", db, "--json"], { cwd: dir });
      expect(JSON.parse(status.stdout)).toMatchObject({ status: "pending" });
    } finally {
      cleanup();
    }
  });

  it("PORT from the environment, JSON access logs with the caller's request id, CORS for --cors-origin", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const served = await serve(
        ["--db", "memory:", "--token", "s3cret", "--cors-origin", "https://console.example"],
        { cwd: dir, env: { PORT: "0" } },
      );
      expect(served.url).not.toMatch(/:3000$/);
      const preflight = await fetch(`${served.url}/api/v1/executions`, {
        method: "OPTIONS",
        headers: {
          origin: "https://console.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://console.example");
      const listed = await fetch(`${served.url}/api/v1/executions`, {
        headers: {
          authorization: "Bearer s3cret",
          origin: "https://console.example",
          "x-request-id": "trace-me",
        },
      });
      expect(listed.headers.get("access-control-allow-origin")).toBe("https://console.example");
      expect(listed.headers.get("x-request-id")).toBe("trace-me");
      const elsewhere = await fetch(`${served.url}/api/v1/executions`, {
        headers: { authorization: "Bearer s3cret", origin: "https://evil.example" },
      });
      expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();

      expect(await served.stop()).toBe(0);
      expect(logLines(served.stderr())).toContainEqual(
        expect.objectContaining({
          level: 30,
          msg: "request",
          component: "http",
          requestId: "trace-me",
          method: "GET",
          path: "/api/v1/executions",
          status: 200,
        }),
      );
    } finally {
      cleanup();
    }
  });

  it("HOST from the environment: a non-loopback one without a token is refused (exit 2)", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const res = await zart(["serve", "--db", "memory:", "--port", "0"], {
        cwd: dir,
        env: { HOST: "0.0.0.0" },
      });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0/);
    } finally {
      cleanup();
    }
  });
});
