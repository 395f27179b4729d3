/** The cost figures (CPU, commits, WAL per execution) that throughput workloads report beside their rate. */
import { type Cost, CostMeter } from "../harness/cost-meter.js";
import type { Prepared } from "../systems/types.js";
import type { Sample, Workers } from "./types.js";

/** Cost units, in the order of the report's cost table. */
export const COST_UNITS = [
  "worker CPU ms/execution",
  "client CPU ms/execution",
  "database CPU ms/execution",
  "total CPU ms/execution",
  "commits/execution",
  "WAL bytes/execution",
  "server WAL bytes/execution",
] as const;

export type CostUnit = (typeof COST_UNITS)[number];

/** Starts metering a run's workers, its server side and, when `client`, this process's enqueue work. */
export function startMeter(prepared: Prepared, workers: Workers, client: boolean): Promise<CostMeter> {
  return CostMeter.start({
    workerPids: workers.group.pids,
    client,
    env: prepared.env,
    ...(prepared.serverPid === undefined ? {} : { serverPid: prepared.serverPid }),
  });
}

/** `cost` of `count` executions as per-execution samples of `metric`. */
export function costSamples(metric: string, cost: Cost, count: number): Sample[] {
  const per = (unit: CostUnit, total: number | undefined): Sample[] =>
    total === undefined ? [] : [{ metric, unit, stat: "median", value: total / count }];
  const cpu = [cost.workerMs, cost.clientMs ?? 0, cost.databaseMs ?? 0].reduce((a, b) => a + b, 0);
  return [
    ...per("worker CPU ms/execution", cost.workerMs),
    ...per("client CPU ms/execution", cost.clientMs),
    ...per("database CPU ms/execution", cost.databaseMs),
    ...per("total CPU ms/execution", cpu),
    ...per("commits/execution", cost.commits),
    ...per(cost.walScope === "server" ? "server WAL bytes/execution" : "WAL bytes/execution", cost.walBytes),
  ];
}
