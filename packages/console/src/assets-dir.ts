import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The built console (`index.html` and `assets/`), for `serveConsole({ assetsDir })` from
 * `@zart/server`. The same path from the source and from `dist/`: both sit one level below the
 * package root.
 */
export const consoleAssetsDir: string = fileURLToPath(new URL("../dist/web", import.meta.url));

/** Whether {@link consoleAssetsDir} holds a build (a source checkout has none before `pnpm build`). */
export function isConsoleBuilt(): boolean {
  return existsSync(join(consoleAssetsDir, "index.html"));
}
