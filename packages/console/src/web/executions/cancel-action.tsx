import { useState } from "preact/hooks";
import { unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";
import type { ActionDialogProps, ExecutionAction } from "./action.js";
import { isTerminal } from "./terminal.js";

function CancelDialog({ execution, api, onDone, onClose }: ActionDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    try {
      const { cancelled } = await unwrap(
        api.POST("/api/v1/executions/{execution_id}/cancel", {
          params: { path: { execution_id: execution.execution_id } },
        }),
      );
      onDone(cancelled ? "Cancelled." : "It had already finished: nothing was cancelled.");
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };
  return (
    <Modal title="Cancel this execution?" onClose={onClose}>
      <p>
        <code>{execution.execution_id}</code> stops for good, with its parallel steps. A step running right
        now finishes, but its result is not used. This cannot be undone.
      </p>
      {error ? <p class="form-error">{error}</p> : null}
      <div class="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          Keep it running
        </button>
        <button type="button" class="danger" onClick={() => void confirm()} disabled={busy}>
          Yes, cancel it
        </button>
      </div>
    </Modal>
  );
}

/** `POST /api/v1/executions/{id}/cancel`. */
export const cancelAction: ExecutionAction = {
  id: "cancel",
  label: "Cancel…",
  tone: "danger",
  available: (execution) => !isTerminal(execution.status),
  Dialog: CancelDialog,
};
