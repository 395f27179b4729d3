import type { ExecutionAction } from "./action.js";
import { cancelAction } from "./cancel-action.js";
import { pauseAction, resumeAction } from "./pause-actions.js";
import { retryAction } from "./retry-action.js";
import { sendEventAction } from "./send-event-action.js";

/** The actions the detail page offers, in button order. */
export const EXECUTION_ACTIONS: readonly ExecutionAction[] = [
  sendEventAction,
  retryAction,
  resumeAction,
  pauseAction,
  cancelAction,
];
