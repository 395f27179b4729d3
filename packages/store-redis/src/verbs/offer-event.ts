import { randomUUID } from "node:crypto";
import type { OfferEventInput, OfferOutcome } from "@zart/core/store";
import { millis, optional } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

/** Appends the event and wakes an execution waiting on its name, atomically. */
export async function offerEvent(
  ctx: RedisContext,
  input: OfferEventInput,
  now: Date,
): Promise<OfferOutcome> {
  const { executionId, eventName, payload, idempotencyKey, startIfMissing: start } = input;
  const outcome = await ctx.executor.run("offerEvent", executionId, [
    executionId,
    eventName,
    payload,
    optional(idempotencyKey),
    millis(now),
    ctx.origin,
    randomUUID(),
    optional(start?.taskName),
    start?.payload ?? "",
    start ? millis(start.runAt) : "",
    optional(start?.priority === undefined ? undefined : String(start.priority)),
    optional(start?.concurrencyKey),
    optional(input.traceContext),
    optional(start?.traceContext),
    optional(start?.version),
    optional(start?.rateKey),
  ]);
  if (outcome === "started") ctx.emit("created", executionId);
  if (outcome === "duplicate") return "duplicate";
  ctx.emit("event", executionId);
  return "delivered";
}
