import { fileURLToPath } from "node:url";

/**
 * The built console (`index.html` and `assets/`), for `serveConsole({ assetsDir })` from
 * `@zart/server`. The same path from the source and from `dist/`: both sit one level below the
 * package root.
 */
export const consoleAssetsDir: string = fileURLToPath(new URL("../dist/web", import.meta.url));
