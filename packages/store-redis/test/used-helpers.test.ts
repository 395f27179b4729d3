import { describe, expect, it } from "vitest";
import { SCRIPTS } from "../src/scripts/index.js";
import { PRELUDE } from "../src/scripts/prelude.js";
import { usedHelpers } from "../src/scripts/used-helpers.js";

/** The locals the prelude defines at its top level. */
const helperNames = [...PRELUDE.matchAll(/^local (?:function )?([A-Za-z_][\w, ]*?)\s*(?:=|\()/gm)].flatMap(
  (match) => match[1]!.split(",").map((name) => name.trim()),
);
const nonBlank = (text: string) => text.split("\n").filter((line) => line.trim() !== "");

describe("the prelude helpers a script carries", () => {
  it("are the whole prelude, line for line, for a body that uses every helper", () => {
    expect(nonBlank(usedHelpers(PRELUDE, helperNames.join(" ")))).toEqual(nonBlank(PRELUDE));
  });

  it("follow a helper's own uses and leave out what nothing uses", () => {
    const lua = usedHelpers(PRELUDE, "fence(ARGV[2], ARGV[3], ARGV[4])");
    for (const needed of ["fence", "readRow", "fail", "present", "key", "base"]) {
      expect(lua).toMatch(new RegExp(`^local (function )?${needed}\\b`, "m"));
    }
    expect(lua).not.toMatch(/^local function insertExecution\b/m);
  });

  it("define every prelude helper each script names", () => {
    for (const [name, script] of Object.entries(SCRIPTS)) {
      const words = new Set(script.lua.match(/[A-Za-z_]\w*/g));
      const defined = new Set(
        [...script.lua.matchAll(/^local (?:function )?([A-Za-z_][\w, ]*?)\s*(?:=|\()/gm)].flatMap((match) =>
          match[1]!.split(",").map((local) => local.trim()),
        ),
      );
      const missing = helperNames.filter((helper) => words.has(helper) && !defined.has(helper));
      expect({ name, missing }).toEqual({ name, missing: [] });
    }
  });
});
