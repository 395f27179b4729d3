import { existsSync, readFileSync } from "node:fs";

/** One line of the ledger file written by `fixtures/ledger-task.ts`. */
export interface LedgerLine {
  kind: "ran" | "persisted";
  executionId: string;
  step: string;
  pid: number;
  runId: string;
}

/** The ledger's lines in the order they were appended. */
export function readLedger(path: string): LedgerLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [kind, executionId, step, pid, runId] = line.split(" ");
      return {
        kind: kind as LedgerLine["kind"],
        executionId: executionId ?? "",
        step: step ?? "",
        pid: Number(pid),
        runId: runId ?? "",
      };
    });
}

/** The ledger's lines grouped by `<execution>/<step>`, in append order. */
export function byStep(lines: LedgerLine[]): Map<string, LedgerLine[]> {
  const groups = new Map<string, LedgerLine[]>();
  for (const line of lines) {
    const key = `${line.executionId}/${line.step}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  return groups;
}
