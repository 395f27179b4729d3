import { cpus, loadavg, release, totalmem, type } from "node:os";
import { errorText } from "./harness/limit.js";
import { postgresVersion, redisVersion } from "./harness/services.js";

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
  /** 1-minute load average when the run started and ended. */
  loadStart: number;
  loadEnd?: number;
}

export async function describeMachine(): Promise<Machine> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: await postgresVersion().catch((e: unknown) => `unreachable (${errorText(e)})`),
    redis: await redisVersion().catch((e: unknown) => `unreachable (${errorText(e)})`),
    loadStart: round2(loadavg()[0] ?? 0),
  };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
