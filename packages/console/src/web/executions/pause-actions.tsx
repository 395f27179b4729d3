import { useState } from "preact/hooks";
import { unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";
import type { ActionDialogProps, ExecutionAction } from "./action.js";

type Verb = "pause" | "resume";

const TEXT: Record<Verb, { title: string; body: string; confirm: string; done: string }> = {
  pause: {
    title: "Pause this execution?",
    body: "It is not picked up by any worker until you resume it. If it is running, it stops at its next checkpoint.",
    confirm: "Yes, pause it",
    done: "Paused.",
  },
  resume: {
    title: "Resume this execution?",
    body: "It becomes due now and a worker picks it up where it stopped.",
    confirm: "Yes, resume it",
    done: "Resumed.",
  },
};

function dialogFor(verb: Verb) {
  return function PauseDialog({ execution, api, onDone, onClose }: ActionDialogProps) {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<string>();
    const text = TEXT[verb];
    const confirm = async () => {
      setBusy(true);
      try {
        const params = { params: { path: { execution_id: execution.execution_id } } };
        await unwrap(
          verb === "pause"
            ? api.POST("/api/v1/executions/{execution_id}/pause", params)
            : api.POST("/api/v1/executions/{execution_id}/resume", params),
        );
        onDone(text.done);
      } catch (failure) {
        setError(String(failure instanceof Error ? failure.message : failure));
        setBusy(false);
      }
    };
    return (
      <Modal title={text.title} onClose={onClose}>
        <p>
          <code>{execution.execution_id}</code>: {text.body}
        </p>
        {error ? <p class="form-error">{error}</p> : null}
        <div class="dialog-buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            Leave it {execution.status}
          </button>
          <button type="button" onClick={() => void confirm()} disabled={busy}>
            {text.confirm}
          </button>
        </div>
      </Modal>
    );
  };
}

/** `POST /api/v1/executions/{id}/pause`: offered for a pending, running or waiting execution. */
export const pauseAction: ExecutionAction = {
  id: "pause",
  label: "Pause…",
  available: (execution) => ["pending", "running", "waiting"].includes(execution.status),
  Dialog: dialogFor("pause"),
};

/** `POST /api/v1/executions/{id}/resume`: offered for a paused execution. */
export const resumeAction: ExecutionAction = {
  id: "resume",
  label: "Resume…",
  available: (execution) => execution.status === "paused",
  Dialog: dialogFor("resume"),
};
