import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { CreateProjectError, createProject } from "../src/index.js";

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "create-zart-"));
});
afterEach(() => rm(base, { recursive: true, force: true }));

it("writes the project: sources, test, tsconfig, .gitignore and a manifest on this version", async () => {
  const root = await createProject(join(base, "my-app"));
  expect((await readdir(root)).sort()).toEqual([
    ".gitignore",
    "README.md",
    "package.json",
    "src",
    "test",
    "tsconfig.json",
  ]);
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  const own = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  expect(manifest).toMatchObject({ name: "my-app", type: "module", private: true });
  expect(manifest.dependencies["@zart/core"]).toBe(`^${own.version}`);
  expect(manifest.devDependencies["@zart/testing"]).toBe(`^${own.version}`);
  expect(Object.keys(manifest.scripts)).toEqual(["start", "start:postgres", "test", "typecheck"]);
  expect(await readFile(join(root, "README.md"), "utf8")).toMatch(/^# my-app\n/);
});

it("refuses a non-empty directory and writes nothing into it", async () => {
  await writeFile(join(base, "keep.txt"), "mine");
  await expect(createProject(base, { name: "x" })).rejects.toBeInstanceOf(CreateProjectError);
  expect(await readdir(base)).toEqual(["keep.txt"]);
});

it("refuses a name npm would reject", async () => {
  await expect(createProject(join(base, "My App"))).rejects.toThrow(/not a valid npm package name/);
  expect(await readdir(base)).toEqual([]);
});

it("the command reports usage errors with exit code 2", async () => {
  expect(await main(["a", "b"])).toBe(2);
  expect(await main(["--help"])).toBe(0);
});
