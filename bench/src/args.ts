import { parseArgs as parseCommandLine } from "node:util";
import { FULL, QUICK, type Settings } from "./config.js";

export interface Args {
  settings: Settings;
  /** Workload ids to run (all when empty). */
  only: string[];
  /** Systems to run (all when empty). */
  systems: string[];
  verbose: boolean;
  help: boolean;
}

export const USAGE = `pnpm bench [--quick] [--only W1,W2] [--systems zart-postgres,dbos] [--runs N] [--preload N] [--verbose]

  --quick      short smoke run (tiny counts, one run); writes results/quick.{md,json}
               (a full run writes results/latest.*, a subset results/partial.*)
  --only       workloads to run: W1 W1b W1c W2 W3 W4 W5 W6 W7 W8 W9 W10 W11 (default: all)
  --systems    systems to run (default: all)
  --runs N     runs per workload and system (default 3; 1 with --quick)
  --preload N  W6: finished executions loaded before W1 runs again (default 100000)
  --verbose    show worker output`;

/** Parses the bench's command line (`node:util` `parseArgs`; a leading `--` from pnpm is ignored). */
export function parseArgs(argv: readonly string[]): Args {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv.filter((arg) => arg !== "--"));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${USAGE}`);
  }
  let settings = values.quick ? QUICK : FULL;
  if (values.runs !== undefined) settings = { ...settings, runs: positiveInt("--runs", values.runs) };
  if (values.preload !== undefined) {
    settings = { ...settings, w6Preload: positiveInt("--preload", values.preload), w6Overrides: {} };
  }
  return {
    settings,
    only: list(values.only).map((w) => w.toUpperCase().replace(/([BC])$/, (c) => c.toLowerCase())),
    systems: list(values.systems),
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
}

function parseFlags(args: string[]) {
  return parseCommandLine({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      systems: { type: "string" },
      runs: { type: "string" },
      preload: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} takes a positive integer`);
  return value;
}
