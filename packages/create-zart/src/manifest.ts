/** Third-party versions the generated project starts with. */
const THIRD_PARTY = {
  zod: "^4.1.0",
  "@types/node": "^20.19.0",
  tsx: "^4.20.0",
  typescript: "^5.9.0",
} as const;

/** The generated project's package.json: ESM, run with tsx, tested with node:test. */
export function projectManifest(name: string, zartVersion: string) {
  const zart = `^${zartVersion}`;
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      start: "tsx src/main.ts sqlite",
      "start:postgres": "tsx src/main.ts postgres",
      test: "tsx --test test/*.test.ts",
      typecheck: "tsc",
    },
    dependencies: {
      "@zart/core": zart,
      "@zart/store-postgres": zart,
      "@zart/store-sqlite": zart,
      zod: THIRD_PARTY.zod,
    },
    devDependencies: {
      "@types/node": THIRD_PARTY["@types/node"],
      "@zart/testing": zart,
      tsx: THIRD_PARTY.tsx,
      typescript: THIRD_PARTY.typescript,
    },
  };
}
