/** One top-level definition of the prelude (`local function f(…) … end`, `local X = …`). */
interface Helper {
  /** The locals it defines. */
  readonly names: readonly string[];
  /** Its text, with the comment lines above it. */
  readonly text: string;
  /** Every identifier-like word in it (comments and strings included: a superset of its uses). */
  readonly words: ReadonlySet<string>;
}

const DEFINITION = /^local (?:function )?([A-Za-z_][\w, ]*?)\s*(?:=|\()/;
const WORD = /[A-Za-z_]\w*/g;

const wordsOf = (text: string): Set<string> => new Set(text.match(WORD));

/**
 * Splits the prelude at its top-level definitions. Every top-level line of the prelude is a
 * `local` definition, a comment (kept with the definition below it), or the closing `end` / `}` of
 * the definition above it (the lines inside are indented).
 */
function splitHelpers(prelude: string): Helper[] {
  const helpers: { names: string[]; lines: string[] }[] = [];
  let comments: string[] = [];
  for (const line of prelude.split("\n")) {
    const definition = DEFINITION.exec(line);
    if (definition) {
      const names = definition[1]!.split(",").map((name) => name.trim());
      helpers.push({ names, lines: [...comments, line] });
      comments = [];
    } else if (line.startsWith("--")) {
      comments.push(line);
    } else if (helpers.length > 0 && comments.length === 0) {
      helpers.at(-1)!.lines.push(line);
    }
  }
  return helpers.map(({ names, lines }) => {
    const text = lines.join("\n");
    return { names, text, words: wordsOf(text) };
  });
}

/**
 * The prelude cut down to the definitions `body` uses, directly or through other helpers, in the
 * prelude's order. Redis runs a script's whole text on every call, so each unused helper would
 * cost every call its closure (the full prelude: ~60 k server instructions a call, three times a
 * bare `EVALSHA`). A word that only looks like a use (in a comment or a string) keeps a helper in:
 * harmless.
 */
export function usedHelpers(prelude: string, body: string): string {
  const helpers = splitHelpers(prelude);
  const wanted = wordsOf(body);
  const used = new Set<Helper>();
  // Later helpers use earlier ones only (Lua locals), so one pass from the last one back suffices.
  for (let i = helpers.length - 1; i >= 0; i--) {
    const helper = helpers[i]!;
    if (!helper.names.some((name) => wanted.has(name))) continue;
    used.add(helper);
    for (const word of helper.words) wanted.add(word);
  }
  return helpers
    .filter((helper) => used.has(helper))
    .map((helper) => helper.text)
    .join("\n");
}
