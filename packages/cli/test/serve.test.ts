import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serve, tempDir, zart } from "./helpers.js";

const JSON_HEADERS = { "content-type": "application/json" };

describe("zart serve", () => {
  it("with no flags: ./zart.db, the example tasks, and a hint whose examples work", async () => {
    const { dir, cleanup } = tempDir();
    // --port 0 only so parallel test runs never collide; everything else is the default.
    const served = await serve(["--port", "0"], { cwd: dir });
    try {
      const hint = served.stdout();
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(hint).toContain("sqlite:./zart.db");
      expect(hint).toMatch(/tasks\s+approval-task, hello-task/);
      expect(hint).toContain("curl -s -X POST");
      expect(hint).toContain("zart event approval-demo-2 manager-approval");
      expect(existsSync(join(dir, "zart.db"))).toBe(true);

      // The curl examples, as printed.
      const bodies = [...hint.matchAll(/-d '([^']+)'/g)].map((m) => m[1] as string);
      const urls = [...hint.matchAll(/curl -s (?:-X POST )?'?(http:\/\/[^\s']+)/g)].map(
        (m) => m[1] as string,
      );
      expect(bodies).toHaveLength(2);
      expect(urls).toHaveLength(3);
      const started = await fetch(urls[0] as string, {
        method: "POST",
        headers: JSON_HEADERS,
        body: bodies[0],
      });
      expect(started.status).toBe(201);
      const delivered = await fetch(urls[1] as string, {
        method: "POST",
        headers: JSON_HEADERS,
        body: bodies[1],
      });
      expect(await delivered.json()).toEqual({
        status: "delivered",
        execution_id: "approval-demo-1",
        event_name: "manager-approval",
      });
      const waited = (await (await fetch(urls[2] as string)).json()) as Record<string, unknown>;
      expect(waited).toMatchObject({
        status: "completed",
        result: { decision: "approved", reviewer: "Carol" },
      });
      expect(waited.steps).toEqual([
        expect.objectContaining({ name: "validate-request", status: "completed" }),
        expect.objectContaining({ name: "manager-approval", kind: "event", status: "completed" }),
        expect.objectContaining({ name: "process-approved", status: "completed" }),
      ]);

      // The CLI examples, as printed, from other processes over the same file.
      const cli = [...hint.matchAll(/^\s+zart (.+)$/gm)].map((m) => m[1] as string);
      expect(cli).toHaveLength(3);
      for (const line of cli) {
        const args = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]) as string);
        const res = await zart(args, { cwd: dir });
        // `zart start` without --tasks warns that nothing is checked; nothing else goes to stderr.
        expect(res.stderr.replace(/^warning: without --tasks.*\n/, "")).toBe("");
        expect(res.code).toBe(0);
        if (args[0] === "wait") expect(res.stdout).toMatch(/Status\s+completed/);
      }
      // hello-task needs no input at all.
      expect((await zart(["start", "hello-task", "--id", "hello-0"], { cwd: dir })).code).toBe(0);
      const hello = await zart(["wait", "hello-0", "--json"], { cwd: dir });
      expect(hello.code).toBe(0);
      expect(JSON.parse(hello.stdout).result).toMatchObject({ greeting: "Hello, world!" });
    } finally {
      const code = await served.stop();
      cleanup();
      expect(code).toBe(0);
    }
    expect(served.stderr()).toContain("Stopping");
  });

  it("--tasks, --token, --db, --concurrency, --prefetch: only those tasks, and the API wants the token", async () => {
    const { dir, cleanup } = tempDir();
    const db = `sqlite:${join(dir, "custom.db")}`;
    const served = await serve(
      [
        "--port",
        "0",
        "--db",
        db,
        "--tasks",
        join(import.meta.dirname, "fixtures", "tasks.ts"),
        "--token",
        "s3cret",
        "--concurrency",
        "2",
        "--prefetch",
        "4",
      ],
      { cwd: dir },
    );
    try {
      expect(served.stdout()).toMatch(/tasks\s+shout\n/);
      expect(served.stdout()).toContain('-H "Authorization: Bearer $ZART_API_TOKEN"');
      expect(served.stdout()).not.toContain("s3cret");
      const denied = await fetch(`${served.url}/api/v1/executions`);
      expect(denied.status).toBe(401);
      const auth = { authorization: "Bearer s3cret", ...JSON_HEADERS };
      const unknown = await fetch(`${served.url}/api/v1/executions`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ task_name: "approval-task" }),
      });
      expect(unknown.status).toBe(400);
      const started = await fetch(`${served.url}/api/v1/executions`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ task_name: "shout", execution_id: "s-1", data: { text: "hi" } }),
      });
      expect(started.status).toBe(201);
      const done = await fetch(`${served.url}/api/v1/executions/s-1/wait?timeout=30s`, { headers: auth });
      expect(await done.json()).toMatchObject({ status: "completed", result: "HI" });
      expect(existsSync(join(dir, "custom.db"))).toBe(true);
    } finally {
      await served.stop();
      cleanup();
    }
  });
});
