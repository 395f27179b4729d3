import { useState } from "preact/hooks";
import { unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";
import type { ActionDialogProps, ExecutionAction } from "./action.js";

function RetryDialog({ execution, api, onDone, onClose }: ActionDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    try {
      await unwrap(
        api.POST("/api/v1/executions/{execution_id}/retry", {
          params: { path: { execution_id: execution.execution_id } },
        }),
      );
      onDone("Retrying.");
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };
  return (
    <Modal title="Retry this execution?" onClose={onClose}>
      <p>
        <code>{execution.execution_id}</code> runs again from its first step that did not complete. Completed
        steps keep their results and do not run again.
      </p>
      {error ? <p class="form-error">{error}</p> : null}
      <div class="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          Leave it {execution.status}
        </button>
        <button type="button" onClick={() => void confirm()} disabled={busy}>
          Yes, retry it
        </button>
      </div>
    </Modal>
  );
}

/** `POST /api/v1/executions/{id}/retry`: offered for a failed or cancelled execution. */
export const retryAction: ExecutionAction = {
  id: "retry",
  label: "Retry…",
  available: (execution) => execution.status === "failed" || execution.status === "cancelled",
  Dialog: RetryDialog,
};
