import { defineScript } from "./prelude.js";

/** Pause rules: the `pause-rules` hash (rule id → JSON of the rule). */
const RULE_KEYS = `
local RULES = base .. "pause-rules"
`;

/** Stores a rule and publishes `pause-rules`. ARGV = base, ruleId, rule JSON, origin. */
export const createPauseRuleScript = defineScript(
  "zartCreatePauseRule",
  `${RULE_KEYS}
redis.call("HSET", RULES, ARGV[2], ARGV[3])
publish("pause-rules", ARGV[2], ARGV[4])
return 1
`,
);

/** Deletes a rule → 1 (and publishes `pause-rules`), or 0 when unknown. ARGV = base, ruleId, origin. */
export const deletePauseRuleScript = defineScript(
  "zartDeletePauseRule",
  `${RULE_KEYS}
local deleted = redis.call("HDEL", RULES, ARGV[2])
if deleted == 1 then publish("pause-rules", ARGV[2], ARGV[3]) end
return deleted
`,
);

/** Every stored rule's JSON (expired ones too: the verb leaves them out). ARGV = base. */
export const listPauseRulesScript = defineScript(
  "zartListPauseRules",
  `${RULE_KEYS}
return redis.call("HVALS", RULES)
`,
);
