import { defineScript } from "./prelude.js";

/**
 * Fenced: inserts or replaces the step at `position` and applies the execution patch. The hot path:
 * one script call per completed step. Token mismatch → `ZART_LEASE_LOST`, nothing written.
 *
 * KEYS[1] = row key. ARGV = base, id, token, request, position, kind, status, stepJson, data (opt),
 * timeoutAt (opt). A repeated delivery writes the same values again: harmless.
 */
export const saveStepScript = defineScript(
  "zartSaveStep",
  `
local id = ARGV[2]
local row = fence(id, ARGV[3], nil)
putStep(id, ARGV[5], ARGV[8], ARGV[6], ARGV[7])
applyPatch(id, row, ARGV[9], ARGV[10])
return 1
`,
);
