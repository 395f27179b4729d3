import { randomUUID } from "node:crypto";
import { type ClaimedWork, type ClaimRequest, claimKeys } from "@zart/core/store";
import { millis } from "../db/args.js";
import type { RedisContext } from "../db/context.js";
import { parseClaimed } from "../db/replies.js";

/** Claims up to `limit` due units in one script: exactly once among concurrent claimers. */
export async function claim(ctx: RedisContext, request: ClaimRequest): Promise<ClaimedWork[]> {
  const limit = Math.min(Math.floor(request.limit), 1_000);
  const keys = claimKeys(request);
  if (limit < 1 || keys.length === 0) {
    ctx.executor.ensureOpen();
    return [];
  }
  const reply = await ctx.executor.runGlobal("claim", [
    millis(request.now),
    limit,
    Math.max(1, Math.ceil(request.leaseMs)),
    request.workerId,
    randomUUID(),
    request.concurrencyLimits ? JSON.stringify(request.concurrencyLimits) : "",
    request.rateLimits ? JSON.stringify(request.rateLimits) : "",
    ...keys,
  ]);
  return parseClaimed(reply);
}
