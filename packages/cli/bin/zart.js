#!/usr/bin/env node
// The `zart` executable. Runs the built CLI (dist/main.js); in a source checkout that has not been
// built, runs src/main.ts through tsx with the "source" export condition, so workspace packages
// resolve to their TypeScript sources too. ZART_CLI_FROM_SOURCE=1 forces the source path.
import { existsSync } from "node:fs";

const dist = new URL("../dist/main.js", import.meta.url);
if (existsSync(dist) && process.env.ZART_CLI_FROM_SOURCE !== "1") {
  await import(dist.href);
} else {
  const { register } = await import("node:module");
  register("./source-condition.js", import.meta.url);
  let tsx;
  try {
    tsx = await import("tsx/esm/api");
  } catch {
    process.stderr.write(
      "error: @zart/cli is not built; run `pnpm build` (or install tsx to run it from source).\n",
    );
    process.exit(1);
  }
  tsx.register();
  globalThis[Symbol.for("zart.cli.tsx")] = true; // task modules in TypeScript need nothing more
  await import(new URL("../src/main.ts", import.meta.url).href);
}
