import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CommandFailed, findStoreLoader, parseDatabaseUrl, UsageError } from "../src/index.js";
import { FIXTURES, oneLine, serve, tempDir, zart } from "./helpers.js";

// Stores are found by the URL's scheme: the known packages, or third-party modules named in
// ZART_STORE_MODULES.
const { dir, cleanup } = tempDir();
afterAll(cleanup);
// The tutorial store of the conformance README, used as a third-party package would be.
const TUTORIAL = {
  ZART_STORE_MODULES: fileURLToPath(
    new URL("../../../examples/store-tutorial/src/index.ts", import.meta.url),
  ),
};

describe("finding the store by scheme", () => {
  it.each([
    ["sqlite:./zart.db", "sqlite", "sqlite:./zart.db"],
    ["./data/zart.db", "sqlite", "sqlite:./data/zart.db"],
    ["C:\\zart.db", "sqlite", "sqlite:C:\\zart.db"],
    ["memory:", "memory", "memory:"],
    ["Postgres://h/db", "postgres", "Postgres://h/db"],
    ["mystore://x", "mystore", "mystore://x"],
  ])("%s", (url, scheme, loaderUrl) => {
    expect(parseDatabaseUrl(url)).toEqual({ scheme, url: loaderUrl });
  });

  it("each known scheme finds its package's loader", async () => {
    for (const scheme of ["memory", "sqlite", "file", "postgres", "postgresql", "redis", "rediss"]) {
      const loader = await findStoreLoader(scheme, { modules: [] });
      expect(loader.schemes).toContain(scheme);
    }
  });

  it("a known scheme whose package is not installed names the package to install", async () => {
    const missing = findStoreLoader("nosuch", { known: { nosuch: "@zart/store-nosuch" }, modules: [] });
    await expect(missing).rejects.toBeInstanceOf(CommandFailed);
    await expect(missing).rejects.toThrow(
      "The nosuch: store (@zart/store-nosuch) is not installed; install it with `npm install @zart/store-nosuch`.",
    );
  });

  it("a module that exports no storeLoader is refused; an unknown scheme is a usage error", async () => {
    const noLoader = findStoreLoader("x", { modules: [join(FIXTURES, "no-tasks.mjs")] });
    await expect(noLoader).rejects.toThrow(/does not export a `storeLoader`/);
    await expect(findStoreLoader("what", { modules: [] })).rejects.toBeInstanceOf(UsageError);
    const res = await zart(["list", "--db", "what://x"], { cwd: dir });
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toMatch(/No store opens "what:" URLs/);
  });

  it("a third-party store: zart serve --db tutorial://… with ZART_STORE_MODULES", async () => {
    const served = await serve(["--db", "tutorial://demo", "--port", "0"], { cwd: dir, env: TUTORIAL });
    try {
      expect(served.stdout()).toContain("tutorial://demo");
      const started = await fetch(`${served.url}/api/v1/executions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ task_name: "hello-task", execution_id: "third-party-1" }),
      });
      expect(started.status).toBe(201);
      const done = await fetch(`${served.url}/api/v1/executions/third-party-1/wait?timeout=30s`);
      expect(await done.json()).toMatchObject({ execution_id: "third-party-1", status: "completed" });
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});
