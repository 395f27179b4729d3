import type { DueCount } from "@zart/core/store";
import { and, count, inArray, lte, min, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection } from "../db/prepared.js";
import { executions } from "../db/schema.js";

const statements = preparedPerConnection((orm) => ({
  // A range of `zart_executions_due_idx` (status, run_at) per status: only the due rows are read.
  due: orm
    .select({ taskName: executions.taskName, due: count(), oldestDueAt: min(executions.runAt) })
    .from(executions)
    .where(
      and(
        inArray(executions.status, ["pending", "waiting"]),
        lte(executions.runAt, sql`${sql.placeholder("now")}`),
      ),
    )
    .groupBy(executions.taskName)
    .prepare(),
}));

/** The backlog by task, in one read transaction. */
export async function countDue(ctx: SqliteContext, now: Date): Promise<DueCount[]> {
  const { orm } = ctx;
  return ctx.read(() =>
    statements(orm)
      .due.all({ now: now.getTime() })
      .map((row) => ({ taskName: row.taskName, due: row.due, oldestDueAt: new Date(row.oldestDueAt!) })),
  );
}
