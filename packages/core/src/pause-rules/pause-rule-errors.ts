import { ZartError } from "../errors.js";

/** No pause rule with this id (HTTP 404): deleted already, or never created. */
export class PauseRuleNotFoundError extends ZartError {
  constructor(readonly ruleId: string) {
    super("PAUSE_RULE_NOT_FOUND", `No pause rule "${ruleId}".`, { details: { ruleId } });
  }
}
