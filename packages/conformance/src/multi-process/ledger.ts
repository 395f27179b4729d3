import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { defineTask } from "@zart/core";

/** The name of the task the worker processes run. */
export const LEDGER_TASK = "conformance-ledger";

/** The steps of every ledger execution, in order. */
export const LEDGER_STEPS = ["s0", "s1", "s2", "s3", "s4"] as const;

/** What a step returns, so its persisted result tells which run it was. */
export interface LedgerResult {
  runId: string;
  worker: string;
}

/** One line of the ledger file. */
export interface LedgerLine {
  /** `ran`: a step body started; `persisted`: `ctx.step` returned this process's result. */
  kind: "ran" | "persisted";
  executionId: string;
  step: string;
  worker: string;
  runId: string;
}

/**
 * The ledger task: every run of a step body appends `ran <execution> <step> <worker> <runId>` to
 * the ledger file, works for `stepMs` (give or take half), and returns `{ runId, worker }`; once
 * `ctx.step` returned a result this process computed (so it is persisted), the process appends
 * `persisted …`. Lines are short single `O_APPEND` writes, so lines of several processes never
 * interleave.
 */
export function ledgerTask(ledgerPath: string, worker: string, stepMs: number) {
  return defineTask({
    name: LEDGER_TASK,
    async run(ctx) {
      for (const step of LEDGER_STEPS) {
        const runId = randomUUID();
        let ranHere = false;
        await ctx.step(step, async (): Promise<LedgerResult> => {
          ranHere = true;
          appendFileSync(ledgerPath, `ran ${ctx.executionId} ${step} ${worker} ${runId}\n`);
          if (stepMs > 0) await sleep(stepMs / 2 + Math.random() * stepMs);
          return { runId, worker };
        });
        if (ranHere) appendFileSync(ledgerPath, `persisted ${ctx.executionId} ${step} ${worker} ${runId}\n`);
      }
      return "done";
    },
  });
}

/** The ledger's lines in the order they were appended. */
export function readLedger(path: string): LedgerLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [kind, executionId = "", step = "", worker = "", runId = ""] = line.split(" ");
      return { kind: kind as LedgerLine["kind"], executionId, step, worker, runId };
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
