import type { FunctionComponent } from "preact";
import type { ApiClient, Execution } from "../api/client.js";

/** What an action's dialog gets. */
export interface ActionDialogProps {
  execution: Execution;
  api: ApiClient;
  /** The action went through: close the dialog, tell the operator, reload the execution. */
  onDone: (message: string) => void;
  /** The operator backed out. */
  onClose: () => void;
}

/**
 * An operator action on one execution: a button on the detail page that opens a dialog, which asks
 * for confirmation and calls one HTTP route. An action is listed only once its route exists
 * (retry, rerun from a step, pause and resume join `EXECUTION_ACTIONS` with theirs).
 */
export interface ExecutionAction {
  id: string;
  label: string;
  /** Whether the button shows for this execution. */
  available: (execution: Execution) => boolean;
  /** `danger` buttons are drawn red. */
  tone?: "danger";
  Dialog: FunctionComponent<ActionDialogProps>;
}
