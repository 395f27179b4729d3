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
  --only       workloads to run: W1 W1b W2 W3 W4 W5 W6 (default: all)
  --systems    systems to run (default: all)
  --runs N     runs per workload and system (default 3; 1 with --quick)
  --preload N  W6: finished executions loaded before W1 runs again (default 100000)
  --verbose    show worker output`;

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { settings: FULL, only: [], systems: [], verbose: false, help: false };
  let runs: number | undefined;
  let preload: number | undefined;
  const list = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--":
        break;
      case "--quick":
        args.settings = QUICK;
        break;
      case "--only":
        args.only = list(value()).map((w) => w.toUpperCase().replace(/B$/, "b"));
        break;
      case "--systems":
        args.systems = list(value());
        break;
      case "--runs":
        runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
        break;
      case "--preload":
        preload = Number(value());
        if (!Number.isInteger(preload) || preload < 1) throw new Error("--preload takes a positive integer");
        break;
      case "--verbose":
        args.verbose = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument "${arg}"\n\n${USAGE}`);
    }
  }
  if (runs !== undefined) args.settings = { ...args.settings, runs };
  if (preload !== undefined) args.settings = { ...args.settings, w6Preload: preload, w6Overrides: {} };
  return args;
}
