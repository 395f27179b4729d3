/**
 * Writes the generated reference pages: the OpenAPI document the server produces and the CLI
 * reference from the commander definitions. Run before `vitepress build` (see package.json).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliReference } from "./cli-reference.js";
import { openApiDocument } from "./openapi-document.js";

const generatedDir = join(dirname(fileURLToPath(import.meta.url)), "..", "reference", "generated");

await mkdir(generatedDir, { recursive: true });
await writeFile(join(generatedDir, "openapi.json"), `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
await writeFile(join(generatedDir, "cli.md"), cliReference());
console.log(`wrote ${generatedDir}/openapi.json and cli.md`);
