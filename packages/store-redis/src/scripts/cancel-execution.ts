import { defineScript } from "./prelude.js";

/**
 * Cancels a non-terminal execution: `cancelled`, lease cleared (its holder's next write fails),
 * unsettled children cancelled and their leases cleared. Returns 0 when already terminal; unknown →
 * `ZART_NOT_FOUND`. Publishes `cancelled` (workers running it abort). A repeated delivery of the
 * same call (same request id) answers 1 again. Its non-detached child executions are cancelled too
 * (recursively), and its parent, if parked on child executions, is woken: the reply is then
 * `{ 1, woken parent id or "", cancelled descendant ids… }`.
 *
 * KEYS[1] = row key. ARGV = base, id, now, origin, request.
 */
export const cancelExecutionScript = defineScript(
  "zartCancelExecution",
  `
local id, now, origin, request = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local row = readRow(id)
if row == nil then fail("NOT_FOUND", id) end
if TERMINAL[row.status] then
  if row.cancelRequest == request then return 1 end
  return 0
end
finish(id, row, "cancelled", now)
hset(id, row, "cancelRequest", request)
dropUnsettledChildren(id, now)
publish("cancelled", id, origin)
local descendants = cancelDescendants(id, now, origin)
return { 1, wakeParent(row, now, origin) or "", unpack(descendants) }
`,
);
