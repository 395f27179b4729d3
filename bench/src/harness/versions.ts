import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const NODE_MODULES = fileURLToPath(new URL("../../node_modules/", import.meta.url));

/** The installed version of a dependency of `bench/` (read from its package.json), or "?". */
export async function packageVersion(name: string): Promise<string> {
  try {
    const text = await readFile(`${NODE_MODULES}${name}/package.json`, "utf8");
    return (JSON.parse(text) as { version?: string }).version ?? "?";
  } catch {
    return "?";
  }
}
