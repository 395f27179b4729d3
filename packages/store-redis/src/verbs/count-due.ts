import type { DueCount } from "@zart/core/store";
import { millis } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

/** The backlog by task, read from the due sets in one script. */
export async function countDue(ctx: RedisContext, now: Date): Promise<DueCount[]> {
  const flat = (await ctx.executor.runGlobal("countDue", [millis(now)])) as (string | number)[];
  const counts: DueCount[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    counts.push({
      taskName: String(flat[i]),
      due: Number(flat[i + 1]),
      oldestDueAt: new Date(Number(flat[i + 2])),
    });
  }
  return counts;
}
