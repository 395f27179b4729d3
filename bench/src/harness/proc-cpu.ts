/** CPU time of processes, read from `/proc/<pid>/stat` (Linux): immune to other load on the machine. */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";

/** Clock ticks per second of `/proc` times (`getconf CLK_TCK`, 100 on Linux when it cannot be read). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU ms used so far by process `pid` (all its threads), or undefined once it is gone. */
export async function processCpuMs(pid: number): Promise<number | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces) start at field 3; utime, stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}

/** User + system CPU ms used so far by this process. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Tracks the CPU of a changing set of processes (e.g. the Postgres backends of one database) by
 * sampling: a process seen for the first time counts from zero, one that exits keeps its last reading.
 */
export class CpuTracker {
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();

  /** Records the current CPU of `pids`; `fromZero` counts new ones from their start (else from now). */
  async sample(pids: readonly number[], fromZero: boolean): Promise<void> {
    await Promise.all(
      pids.map(async (pid) => {
        const ms = await processCpuMs(pid);
        if (ms === undefined) return;
        if (!this.#first.has(pid)) this.#first.set(pid, fromZero ? 0 : ms);
        this.#last.set(pid, ms);
      }),
    );
  }

  /** CPU ms used since each process was first sampled. */
  usedMs(): number {
    let total = 0;
    for (const [pid, last] of this.#last) total += last - (this.#first.get(pid) ?? last);
    return total;
  }
}
