import { randomUUID } from "node:crypto";
import { millis } from "../db/args.js";
import type { RedisContext } from "../db/context.js";

/** Cancels a non-terminal execution and its unsettled children; false when already terminal. */
export async function cancelExecution(ctx: RedisContext, executionId: string, now: Date): Promise<boolean> {
  const reply = (await ctx.executor.run("cancelExecution", executionId, [
    executionId,
    millis(now),
    ctx.origin,
    randomUUID(),
  ])) as number | [number, string, ...string[]];
  if (reply === 0) return false;
  const [, woken = "", ...descendants] = Array.isArray(reply) ? reply : [1];
  for (const id of [executionId, ...descendants]) ctx.emit("cancelled", id);
  if (woken !== "") ctx.emit("child", woken);
  return true;
}
