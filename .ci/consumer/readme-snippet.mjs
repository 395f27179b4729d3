// Prints the first ```ts block of a README section: node readme-snippet.mjs README.md "Quickstart"
import { readFileSync } from "node:fs";

const [file, heading] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const start = text.indexOf(`\n## ${heading}\n`);
const block = start < 0 ? null : /```ts\n([\s\S]*?)```/.exec(text.slice(start));
if (!block) throw new Error(`no \`\`\`ts block under "## ${heading}" in ${file}`);
process.stdout.write(block[1]);
