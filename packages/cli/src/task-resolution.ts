import { register } from "node:module";

/**
 * A module resolution hook: when a task module imports `@zart/*` or `zod` and cannot resolve it
 * from where it lives (a tasks file in a directory without node_modules), resolve it from the
 * CLI's own dependencies instead. Anything the module can resolve itself is left alone.
 */
const HOOK = `
let fallbackParent;
export function initialize(data) { fallbackParent = data.parentURL; }
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (/^(@zart\\/[^/]+|zod)(\\/.*)?$/.test(specifier) && context.parentURL !== fallbackParent) {
      return nextResolve(specifier, { ...context, parentURL: fallbackParent });
    }
    throw error;
  }
}
`;

let registered = false;

/** Installs the hook once per process. */
export function resolveZartFromCli(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { parentURL: import.meta.url } });
}
