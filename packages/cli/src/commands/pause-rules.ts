import type { DurableScheduler } from "@zart/core";
import { toWirePauseRule } from "@zart/server/wire";
import { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { fitTable, terminalWidth } from "../fit-table.js";
import { out, printJson, stdoutColors, when } from "../output.js";
import { parseDurationArg } from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

export interface PauseRuleFlags {
  task?: string;
  step?: string;
  for?: number;
}

/** The `--task`, `--step`, `--for` options `zart pause` takes to create a pause rule. */
export function pauseRuleOptions(command: Command): Command {
  return command
    .option("--task <name>", "pause every execution of this task (a pause rule) instead of one execution")
    .option("--step <name>", "with --task: only executions about to start this step")
    .option("--for <duration>", "with --task: the rule expires after this long (e.g. 1h)", parseDurationArg);
}

/** `zart pause --task X [--step Y] [--for 1h]`: creates the rule and prints it. */
export async function createPauseRule(flags: PauseRuleFlags & DbOptions & { json?: boolean }): Promise<void> {
  if (flags.task === undefined)
    throw new UsageError("Give an execution id, or --task to create a pause rule.");
  const { task, step } = flags;
  const rule = await withClient(flags, { mustExist: true }, (durable: DurableScheduler) =>
    durable.pauseRules.create({
      taskName: task,
      ...(step === undefined ? {} : { stepName: step }),
      ...(flags.for === undefined ? {} : { for: flags.for }),
    }),
  );
  if (flags.json) return printJson(toWirePauseRule(rule));
  const c = stdoutColors();
  const what =
    step === undefined ? `every execution of ${c.bold(task)}` : `${c.bold(task)} at step ${c.bold(step)}`;
  const until = rule.expiresAt ? ` until ${when(rule.expiresAt.toISOString())}` : "";
  out(`Paused ${what}${until}: rule ${c.bold(rule.ruleId)} (zart pause-rules delete ${rule.ruleId}).`);
}

/** `zart pause-rules list|delete`. */
export function pauseRulesCommand(): Command {
  const command = new Command("pause-rules").description(
    "the pause rules in force (created with `zart pause --task`): list them, delete one",
  );
  const list = new Command("list").description("list the pause rules in force (expired ones are left out)");
  dbOption(list);
  jsonOption(list);
  list.action(async (flags: DbOptions & { json?: boolean }) => {
    const rules = (await withClient(flags, { mustExist: true }, (durable) => durable.pauseRules.list())).map(
      toWirePauseRule,
    );
    if (flags.json) return printJson({ pause_rules: rules });
    if (rules.length === 0) return out("No pause rules.");
    const c = stdoutColors();
    const head = ["Rule", "Task", "Step", "Created", "Expires"];
    const rows = rules.map((r) => [
      r.rule_id,
      r.task_name,
      r.step_name ?? "(every execution)",
      when(r.created_at),
      r.expires_at === undefined ? "never" : when(r.expires_at),
    ]);
    out(
      fitTable(
        head.map((h) => c.bold(h)),
        rows,
        terminalWidth(),
      ),
    );
  });
  const remove = new Command("delete")
    .description("delete a pause rule: what it held runs again")
    .argument("<rule_id>", "the rule");
  dbOption(remove);
  jsonOption(remove);
  remove.action(async (ruleId: string, flags: DbOptions & { json?: boolean }) => {
    await withClient(flags, { mustExist: true }, (durable) => durable.pauseRules.delete(ruleId));
    if (flags.json) return printJson({ deleted: true });
    out(`Deleted pause rule ${stdoutColors().bold(ruleId)}.`);
  });
  return command.addCommand(list).addCommand(remove);
}
