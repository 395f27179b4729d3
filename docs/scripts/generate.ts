/**
 * Writes the generated reference pages: the OpenAPI document the server produces and the CLI
 * reference from the commander definitions. Run before `vitepress build` (see package.json).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliReference } from "./cli-reference.js";
import { openApiDocument } from "./openapi-document.js";

const docsDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Writes `text` to `path` (relative to docs/), creating its folder. */
async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(docsDir, path)), { recursive: true });
  await writeFile(join(docsDir, path), text);
  console.log(`wrote docs/${path}`);
}

await write("http/openapi.json", `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
await write("cli/reference.md", cliReference());
