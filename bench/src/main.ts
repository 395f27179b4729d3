/**
 * `pnpm bench [--quick] [--only W1,W2] [--systems a,b]`: runs the workloads on Zart's stores and on
 * the peers, prints the table and writes results/latest.{md,json} (results/quick.{md,json} with --quick).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs, USAGE } from "./args.js";
import { FULL } from "./config.js";
import { errorText } from "./harness/limit.js";
import { acquireRunLock } from "./harness/services.js";
import { describeMachine, round2 } from "./machine.js";
import { aggregate, type Report, renderJson, renderMarkdown, type SystemInfo } from "./report.js";
import { addFailure, type Outcome, runAll } from "./runner.js";
import { loadSystem, SYSTEM_NAMES } from "./systems/index.js";
import type { SystemAdapter } from "./systems/types.js";
import { WORKLOADS } from "./workloads/index.js";

const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { settings } = args;
  const { only } = args;
  const workloads = only.length ? WORKLOADS.filter((w) => only.includes(w.id)) : WORKLOADS;
  const unknownWorkloads = args.only.filter((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknownWorkloads.length)
    throw new Error(`unknown workload(s) ${unknownWorkloads.join(", ")}\n\n${USAGE}`);
  const names = args.systems.length ? args.systems : SYSTEM_NAMES;
  const unknownSystems = names.filter((n) => !SYSTEM_NAMES.includes(n));
  if (unknownSystems.length) throw new Error(`unknown system(s) ${unknownSystems.join(", ")}\n\n${USAGE}`);

  const log = (message: string) => process.stdout.write(`${message}\n`);
  const releaseLock = await acquireRunLock(log);
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = await describeMachine();
  log(
    `zart bench${settings.quick ? " --quick" : ""}: ${workloads.map((w) => w.id).join(" ")} on ${names.join(", ")}`,
  );
  log(
    `${machine.cpu} ×${machine.cores}, Node ${machine.node}, Postgres ${machine.postgres}, Redis ${machine.redis}, load ${machine.loadStart}`,
  );

  const outcome: Outcome = { records: [], failures: [], notApplicable: new Map() };
  const systems: SystemAdapter[] = [];
  const infos: SystemInfo[] = [];
  for (const name of names) {
    try {
      const adapter = await loadSystem(name);
      systems.push(adapter);
      infos.push({ name, version: await adapter.version(), settings: adapter.settings });
    } catch (error) {
      const reason = `failed to load: ${errorText(error)}`;
      infos.push({ name, version: "?", settings: "not run" });
      for (const w of workloads) addFailure(outcome, { system: name, workload: w.id, reason, runs: 1 });
      log(`${name}: ${reason}`);
    }
  }

  try {
    await runAll(workloads, systems, { settings, verbose: args.verbose, log }, outcome);
  } finally {
    await releaseLock();
  }

  machine.loadEnd = round2(loadavg()[0] ?? 0);
  const report: Report = {
    machine,
    settings,
    startedAt: startedAt.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    systems: infos,
    results: aggregate(outcome),
    failures: outcome.failures,
    notApplicable: [...outcome.notApplicable].map(([key, reason]) => {
      const [workload = "", system = ""] = key.split("|");
      return { workload, system, reason };
    }),
  };
  const markdown = renderMarkdown(report, workloads);
  // Only a complete default run may replace the committed results; subsets go to partial.*.
  const complete =
    !args.only.length && !args.systems.length && JSON.stringify(settings) === JSON.stringify(FULL);
  const base = settings.quick ? "quick" : complete ? "latest" : "partial";
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(`${RESULTS_DIR}${base}.md`, markdown);
  await writeFile(`${RESULTS_DIR}${base}.json`, renderJson(report));
  log(`\n${markdown}`);
  log(`written to bench/results/${base}.md and ${base}.json`);
  return 0;
}

process.on("unhandledRejection", (error) => {
  console.error(`[bench] ignored unhandled rejection: ${errorText(error)}`);
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    process.exit(2);
  },
);
