// Points a project's @zart dependencies at locally packed tarballs instead of the registry:
//   node use-tarballs.mjs <project-dir> <packs-dir> [name to add as a dependency]...
// Every @zart package (and create-zart) is pinned through `overrides`, so transitive dependencies
// use the tarballs too; a direct dependency must then carry the very same spec (an npm rule).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [projectDir, packsDir, ...add] = process.argv.slice(2);
const repo = resolve(import.meta.dirname, "../..");
const specs = {};
for (const dir of readdirSync(join(repo, "packages"))) {
  const { name, version } = JSON.parse(readFileSync(join(repo, "packages", dir, "package.json"), "utf8"));
  specs[name] = `file:${resolve(packsDir, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`)}`;
}
const file = join(projectDir, "package.json");
const manifest = JSON.parse(readFileSync(file, "utf8"));
manifest.overrides = { ...manifest.overrides, ...specs };
manifest.dependencies ??= {};
for (const name of add) {
  if (!specs[name]) throw new Error(`no package named ${name} in packages/`);
  manifest.dependencies[name] = specs[name];
}
for (const field of ["dependencies", "devDependencies"]) {
  for (const name of Object.keys(manifest[field] ?? {})) if (specs[name]) manifest[field][name] = specs[name];
}
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
