// @ts-check
/**
 * TypeDoc plugin: names each entry point's module after its npm package (`@zart/core`) instead of
 * its path (`core/src`), since the entry points are the packages' source `index.ts` files.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const source = module.sources?.[0]?.fullFileName;
      if (!source) continue;
      const manifest = join(dirname(source), "..", "package.json");
      module.name = JSON.parse(readFileSync(manifest, "utf8")).name;
    }
  });
}
