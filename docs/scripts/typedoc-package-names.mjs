// @ts-check
/**
 * TypeDoc plugin: names each entry point's module after its npm package and export (`@zart/core`,
 * `@zart/core/store`) instead of its path (`core/src`): the entry points are the packages' source
 * files, `src/index.ts` for the package itself and `src/<name>.ts` for a subpath export.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const source = module.sources?.[0]?.fullFileName;
      if (!source) continue;
      const manifest = join(dirname(source), "..", "package.json");
      const subpath = basename(source, ".ts");
      const { name } = JSON.parse(readFileSync(manifest, "utf8"));
      module.name = subpath === "index" ? name : `${name}/${subpath}`;
    }
  });
}
