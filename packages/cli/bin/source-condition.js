// Module resolution hook: adds the "source" export condition, so `@zart/*` workspace packages
// resolve to src/*.ts when the CLI runs from a checkout that has not been built.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes("source")
    ? context.conditions
    : [...context.conditions, "source"];
  return nextResolve(specifier, { ...context, conditions });
}
