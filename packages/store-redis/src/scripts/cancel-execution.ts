import { defineScript } from "./prelude.js";

/**
 * Cancels a non-terminal execution: `cancelled`, lease cleared (its holder's next write fails),
 * unsettled children cancelled and their leases cleared. Returns 0 when already terminal; unknown →
 * `ZART_NOT_FOUND`. Publishes `cancelled` (workers running it abort).
 *
 * KEYS[1] = row key. ARGV = base, id, now, origin.
 */
export const cancelExecutionScript = defineScript(
  "zartCancelExecution",
  `
local id, now, origin = ARGV[2], ARGV[3], ARGV[4]
local row = readRow(id)
if row == nil then fail("NOT_FOUND", id) end
if TERMINAL[row.status] then return 0 end
finish(id, row, "cancelled", now)
dropUnsettledChildren(id, now)
publish("cancelled", id, origin)
return 1
`,
);
