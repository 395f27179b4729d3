import { useState } from "preact/hooks";
import { type ApiClient, type Execution, type Step, unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";

interface RerunDialogProps {
  execution: Execution;
  step: Step;
  api: ApiClient;
  /** The new execution exists: show it. */
  onCreated: (executionId: string) => void;
  onClose: () => void;
}

/**
 * `POST /api/v1/executions/{id}/rerun`, opened from a step of the timeline: a new execution keeps
 * the steps before this one and runs it and the rest again, with the input as edited here.
 */
export function RerunDialog({ execution, step, api, onCreated, onClose }: RerunDialogProps) {
  const [inputText, setInputText] = useState(JSON.stringify(execution.payload ?? null, null, 2));
  const [newId, setNewId] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async (event: Event) => {
    event.preventDefault();
    let data: unknown;
    try {
      data = JSON.parse(inputText);
    } catch (parseError) {
      return setError(
        `The input is not JSON: ${String(parseError instanceof Error ? parseError.message : parseError)}`,
      );
    }
    setBusy(true);
    try {
      const created = await unwrap(
        api.POST("/api/v1/executions/{execution_id}/rerun", {
          params: { path: { execution_id: execution.execution_id } },
          body: { from_step: step.name, data, ...(newId.trim() ? { new_id: newId.trim() } : {}) },
        }),
      );
      onCreated(created.execution_id);
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };
  return (
    <Modal title="Rerun from this step?" onClose={onClose}>
      <form onSubmit={(event) => void confirm(event)}>
        <p>
          A new execution of <code>{execution.name}</code> keeps the steps before <code>{step.name}</code> and
          runs <code>{step.name}</code> and everything after it again. <code>{execution.execution_id}</code>{" "}
          is left as it is.
        </p>
        <label>
          Input (JSON)
          <textarea rows={6} value={inputText} onInput={(e) => setInputText(e.currentTarget.value)} />
        </label>
        <label>
          New execution id (optional)
          <input value={newId} placeholder="a random UUID" onInput={(e) => setNewId(e.currentTarget.value)} />
        </label>
        {error ? <p class="form-error">{error}</p> : null}
        <div class="dialog-buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            Yes, rerun from {step.name}
          </button>
        </div>
      </form>
    </Modal>
  );
}
