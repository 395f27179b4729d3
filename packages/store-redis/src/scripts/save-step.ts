import { defineScript } from "./prelude.js";

/**
 * Fenced: inserts or replaces the step at `position` and applies the execution patch. The hot path:
 * one script call per completed step. Token mismatch → `ZART_LEASE_LOST`, nothing written.
 *
 * KEYS[1] = row key. ARGV = base, id, token, position, kind, status, stepJson, data (opt), timeoutAt (opt).
 */
export const saveStepScript = defineScript(
  "zartSaveStep",
  `
local id = ARGV[2]
local row = fence(id, ARGV[3])
putStep(id, ARGV[4], ARGV[7], ARGV[5], ARGV[6])
applyPatch(id, row, ARGV[8], ARGV[9])
return 1
`,
);
