import { defineScript } from "./prelude.js";

/**
 * Fenced: writes the step (if any), applies the patch and parks the execution (`waiting` on a sleep
 * or a step-retry backoff until `wakeAt`), clearing its lease. Token mismatch → `ZART_LEASE_LOST`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, wakeAt, reason, position ("" = no step), kind,
 * status, stepJson, data (opt), timeoutAt (opt).
 */
export const suspendScript = defineScript(
  "zartSuspend",
  `
local id, request = ARGV[2], ARGV[4]
local row, repeated = fence(id, ARGV[3], request)
if repeated then return 1 end
if present(ARGV[7]) then putStep(id, ARGV[7], ARGV[10], ARGV[8], ARGV[9]) end
applyPatch(id, row, ARGV[11], ARGV[12])
park(id, row, ARGV[6], ARGV[5], "")
releasedBy(id, row, request)
return 1
`,
);
