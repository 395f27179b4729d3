import type { AnyEventWaitOutcome, AwaitAnyEventInput, ExecutionPatch, Lease } from "@zart/core/store";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { SqliteContext } from "../db/context.js";
import { preparedPerConnection } from "../db/prepared.js";
import { events } from "../db/schema.js";
import { decideWait } from "./await-event.js";

const statements = preparedPerConnection((orm) => ({
  // The first offered unconsumed event among several names (a JSON array), across names.
  oldestOfNames: orm
    .select({
      sequence: events.sequence,
      eventName: events.eventName,
      payload: events.payload,
      offeredAt: events.offeredAt,
    })
    .from(events)
    .where(
      and(
        eq(events.executionId, sql.placeholder("id")),
        inArray(events.eventName, sql`(SELECT value FROM json_each(${sql.placeholder("names")}))`),
        isNull(events.consumedAt),
      ),
    )
    .orderBy(asc(events.sequence))
    .limit(1)
    .prepare(),
}));

/**
 * `awaitEvent` over several names, in one `BEGIN IMMEDIATE` transaction: the first offered among
 * them; the step records `anyEventResult`.
 */
export async function awaitAnyEvent(
  ctx: SqliteContext,
  lease: Lease,
  wait: AwaitAnyEventInput,
  patch: ExecutionPatch,
  now: Date,
): Promise<AnyEventWaitOutcome> {
  const { orm } = ctx;
  const names = JSON.stringify(wait.eventNames);
  const find = (id: string) => statements(orm).oldestOfNames.get({ id, names });
  return ctx.write(() => decideWait(orm, lease, wait, patch, now, find, true));
}
