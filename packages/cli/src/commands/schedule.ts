import {
  CATCHUP_POLICIES,
  type CatchupPolicy,
  OVERLAP_POLICIES,
  type OverlapPolicy,
  type ScheduleInfo,
} from "@zart/core";
import { toWireSchedule } from "@zart/server/wire";
import { Command, Option } from "commander";
import { fitTable, terminalWidth } from "../fit-table.js";
import { out, printJson, stdoutColors } from "../output.js";
import {
  parseDateArg,
  parseDurationArg,
  parseJsonArg,
  parseNonNegativeInt,
  parsePositiveInt,
} from "../parse-args.js";
import { type DbOptions, dbOption, jsonOption, withClient } from "./shared.js";

interface CreateFlags extends DbOptions {
  task: string;
  cron: string;
  timezone?: string;
  data?: unknown;
  overlap?: OverlapPolicy;
  catchup?: CatchupPolicy;
  catchupWindow?: number;
  startAt?: Date;
  endAt?: Date;
  tasks?: string[];
  json?: boolean;
}

type ReadFlags = DbOptions & { json?: boolean };

/** `zart schedule create|list|get|pause|resume|trigger|delete`. */
export function scheduleCommand(): Command {
  const schedule = new Command("schedule").description(
    "cron schedules, fired by the workers of `zart serve`",
  );
  schedule.addCommand(createCommand());
  schedule.addCommand(listCommand());
  for (const [name, what] of [
    ["get", "show a schedule, its next fire time and last execution"],
    ["pause", "stop firing (fires while paused are never started)"],
    ["resume", "fire again from the next fire time after now"],
  ] as const) {
    schedule.addCommand(
      withReadOptions(new Command(name).description(what).argument("<schedule_id>", "the schedule")).action(
        async (id: string, flags: ReadFlags) => {
          const info = await withClient(flags, { mustExist: true }, (durable) =>
            name === "get" ? durable.schedules.get(id) : durable.schedules[name](id),
          );
          print(info, flags);
        },
      ),
    );
  }
  schedule.addCommand(
    withReadOptions(
      new Command("trigger").description("start one execution now").argument("<schedule_id>"),
    ).action(async (id: string, flags: ReadFlags) => {
      const started = await withClient(flags, { mustExist: true }, (durable) =>
        durable.schedules.trigger(id),
      );
      if (flags.json) return printJson({ execution_id: started.executionId });
      out(`Started ${stdoutColors().bold(started.executionId)}.`);
    }),
  );
  schedule.addCommand(
    withReadOptions(
      new Command("delete").description("delete a schedule (its executions stay)").argument("<schedule_id>"),
    ).action(async (id: string, flags: ReadFlags) => {
      await withClient(flags, { mustExist: true }, (durable) => durable.schedules.delete(id));
      if (flags.json) return printJson({ deleted: true });
      out(`Deleted schedule ${stdoutColors().bold(id)}.`);
    }),
  );
  return schedule;
}

function createCommand(): Command {
  const command = new Command("create")
    .description("create a schedule (an id in use is an error: delete it first)")
    .argument("<schedule_id>", "the schedule's id; fires run as <schedule_id>@<fire time>")
    .requiredOption("--task <name>", "the task each fire starts")
    .requiredOption("--cron <expr>", "cron expression, 5 fields or 6 with seconds first")
    .option("--timezone <iana>", "time zone the expression is read in (default UTC)")
    .option("--data <json>", "every fire's input, as JSON (default: null)", parseJsonArg)
    .addOption(
      new Option("--overlap <policy>", "while the previous run is not finished").choices(OVERLAP_POLICIES),
    )
    .addOption(new Option("--catchup <policy>", "fires missed during downtime").choices(CATCHUP_POLICIES))
    .option("--catchup-window <duration>", "how far back latest/all reach (default 1d)", parseDurationArg)
    .option("--start-at <date>", "no fire before this ISO-8601 time", parseDateArg)
    .option("--end-at <date>", "no fire at or after this ISO-8601 time", parseDateArg)
    .option("--tasks <file...>", "task modules: reject unknown task names and validate --data");
  return withReadOptions(command).action(async (scheduleId: string, flags: CreateFlags) => {
    const info = await withClient(flags, {}, (durable) =>
      durable.schedules.create({
        scheduleId,
        task: flags.task,
        cron: flags.cron,
        data: flags.data ?? null,
        ...(flags.timezone ? { timezone: flags.timezone } : {}),
        ...(flags.overlap ? { overlap: flags.overlap } : {}),
        ...(flags.catchup ? { catchup: flags.catchup } : {}),
        ...(flags.catchupWindow !== undefined ? { catchupWindow: flags.catchupWindow } : {}),
        ...(flags.startAt ? { startAt: flags.startAt } : {}),
        ...(flags.endAt ? { endAt: flags.endAt } : {}),
      }),
    );
    print(info, flags);
  });
}

function listCommand(): Command {
  const command = new Command("list")
    .description("list schedules by id")
    .option("--limit <n>", "at most this many (1–1000)", parsePositiveInt, 100)
    .option("--offset <n>", "skip this many", parseNonNegativeInt, 0);
  return withReadOptions(command).action(async (flags: ReadFlags & { limit: number; offset: number }) => {
    const list = await withClient(flags, { mustExist: true }, (durable) =>
      durable.schedules.list({ limit: flags.limit, offset: flags.offset }),
    );
    if (flags.json) return printJson({ schedules: list.map(toWireSchedule) });
    if (list.length === 0) return out("No schedules.");
    const c = stdoutColors();
    const rows = list.map((s) => [
      s.scheduleId,
      s.taskName,
      `${s.cron} ${c.dim(s.timezone)}`,
      s.paused ? c.yellow("paused") : (s.nextFireAt?.toISOString() ?? "ended"),
      s.lastExecution ? `${s.lastExecution.executionId} ${s.lastExecution.status ?? "purged"}` : "",
    ]);
    out(fitTable(["SCHEDULE", "TASK", "CRON", "NEXT FIRE", "LAST EXECUTION"], rows, terminalWidth()));
  });
}

function withReadOptions(command: Command): Command {
  dbOption(command);
  jsonOption(command);
  return command;
}

function print(info: ScheduleInfo, flags: { json?: boolean }): void {
  if (flags.json) {
    printJson(toWireSchedule(info));
    return;
  }
  const c = stdoutColors();
  const lines = [
    `${c.bold(info.scheduleId)}  ${info.taskName}  ${info.cron} (${info.timezone})${info.paused ? c.yellow("  paused") : ""}`,
    `  overlap ${info.overlap}, catch-up ${info.catchup}`,
    `  next fire  ${info.nextFireAt?.toISOString() ?? "none (ended)"}`,
  ];
  if (info.bufferedFireAt) lines.push(`  buffered   ${info.bufferedFireAt.toISOString()}`);
  if (info.lastExecution)
    lines.push(`  last run   ${info.lastExecution.executionId} (${info.lastExecution.status ?? "purged"})`);
  out(lines.join("\n"));
}
