import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";

/**
 * Builds the console from its current source into a fresh directory, so the tests never depend
 * on (or run against a stale) `dist/`. Returns the assets directory for `serveConsole`.
 */
export async function buildConsole(): Promise<string> {
  const outDir = join(await mkdtemp(join(tmpdir(), "zart-console-")), "web");
  await build({
    configFile: new URL("../../vite.config.ts", import.meta.url).pathname,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
