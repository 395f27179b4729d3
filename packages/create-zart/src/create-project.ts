import { cp, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { projectManifest } from "./manifest.js";

const TEMPLATE = fileURLToPath(new URL("../template/", import.meta.url));

export interface CreateProjectOptions {
  /** The package name written to package.json. Default: the directory's name. */
  name?: string;
}

export class CreateProjectError extends Error {
  override name = "CreateProjectError";
}

/** Writes a new project into `dir` (created if missing; it must be empty). Returns its absolute path. */
export async function createProject(dir: string, options: CreateProjectOptions = {}): Promise<string> {
  const root = resolve(dir);
  const name = options.name ?? basename(root);
  if (!/^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name) || name.length > 214) {
    throw new CreateProjectError(
      `"${name}" is not a valid npm package name (lowercase letters, digits, "-", "." and "_").`,
    );
  }
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).length > 0) throw new CreateProjectError(`${root} is not empty.`);
  await cp(TEMPLATE, root, { recursive: true });
  // npm drops .gitignore files from published tarballs, so the template ships it under another name.
  await rename(join(root, "_gitignore"), join(root, ".gitignore"));
  const readme = join(root, "README.md");
  await writeFile(readme, (await readFile(readme, "utf8")).replaceAll("{{name}}", name));
  const manifest = projectManifest(name, await ownVersion());
  await writeFile(join(root, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return root;
}

/** The @zart packages are released together with create-zart, under the same version. */
async function ownVersion(): Promise<string> {
  const own = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  return (own as { version: string }).version;
}
