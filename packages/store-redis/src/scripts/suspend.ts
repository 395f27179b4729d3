import { defineScript } from "./prelude.js";

/**
 * Fenced: writes the step (if any), applies the patch and parks the execution (`waiting` on a sleep
 * or a step-retry backoff until `wakeAt`), clearing its lease. Token mismatch → `ZART_LEASE_LOST`.
 *
 * KEYS[1] = row key. ARGV = base, id, token, wakeAt, reason, position ("" = no step), kind, status,
 * stepJson, data (opt), timeoutAt (opt).
 */
export const suspendScript = defineScript(
  "zartSuspend",
  `
local id = ARGV[2]
local row = fence(id, ARGV[3])
if present(ARGV[6]) then putStep(id, ARGV[6], ARGV[9], ARGV[7], ARGV[8]) end
applyPatch(id, row, ARGV[10], ARGV[11])
park(id, row, ARGV[5], ARGV[4], "")
return 1
`,
);
