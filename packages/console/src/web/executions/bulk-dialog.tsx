import { useEffect, useState } from "preact/hooks";
import { type ApiClient, type ExecutionState, unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";

type BulkAction = "cancel" | "retry" | "pause" | "resume";
interface BulkResult {
  matched: number;
  changed: number;
  skipped: number;
  skipped_reasons: Record<string, number>;
}

const ACTIONS: readonly BulkAction[] = ["cancel", "retry", "pause", "resume"];

/** The list's filter, as the bulk route takes it. */
export interface BulkSelection {
  status?: ExecutionState;
  task_name?: string;
  created_after?: string;
  created_before?: string;
}

/**
 * One action on every execution the list's filter selects. It first asks the server for a dry
 * run, shows how many executions the action would change, and applies it only once confirmed.
 */
export function BulkDialog({
  api,
  selection,
  onDone,
  onClose,
}: {
  api: ApiClient;
  selection: BulkSelection;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [action, setAction] = useState<BulkAction>("cancel");
  const [preview, setPreview] = useState<BulkResult>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const call = (dry_run: boolean) =>
    unwrap(api.POST("/api/v1/executions:bulk", { body: { action, filter: selection, dry_run } }));

  useEffect(() => {
    let live = true;
    setPreview(undefined);
    setError(undefined);
    call(true).then(
      (result) => live && setPreview(result),
      (failure: unknown) => live && setError(String(failure instanceof Error ? failure.message : failure)),
    );
    return () => {
      live = false;
    };
  }, [action]);

  const confirm = async () => {
    setBusy(true);
    try {
      const result = await call(false);
      onDone(`${action}: ${result.changed} changed, ${result.skipped} skipped.`);
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };
  const what = [
    selection.status && `status ${selection.status}`,
    selection.task_name && `task ${selection.task_name}`,
    selection.created_after && `created from ${new Date(selection.created_after).toLocaleString()}`,
    selection.created_before && `created before ${new Date(selection.created_before).toLocaleString()}`,
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <Modal title="Bulk action on the filtered executions" onClose={onClose}>
      <p>
        Every execution with <strong>{what}</strong>, including those on later pages. Each one is changed on
        its own; one whose state does not allow the action is skipped.
      </p>
      <label>
        Action
        <select value={action} onChange={(event) => setAction(event.currentTarget.value as BulkAction)}>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <p class="bulk-preview" aria-live="polite">
        {preview
          ? `${preview.matched} match; ${action} would change ${preview.changed}, skip ${preview.skipped}.`
          : "Counting…"}
      </p>
      {error ? <p class="form-error">{error}</p> : null}
      <div class="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          Back
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => void confirm()}
          disabled={busy || !preview || preview.changed === 0}
        >
          {preview ? `Yes, ${action} ${preview.changed}` : `Yes, ${action}`}
        </button>
      </div>
    </Modal>
  );
}
