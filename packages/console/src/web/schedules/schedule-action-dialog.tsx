import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { ApiClient, Schedule } from "../api/client.js";
import { Modal } from "../components/modal.js";
import type { ScheduleAction } from "./schedule-actions.js";

/** Asks before a {@link ScheduleAction} runs; a refusal of the server stays in the dialog. */
export function ScheduleActionDialog(props: {
  api: ApiClient;
  schedule: Schedule;
  action: ScheduleAction;
  onDone: (message: ComponentChildren) => void;
  onClose: () => void;
}) {
  const { api, schedule, action, onDone, onClose } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    try {
      onDone(await action.run(api, schedule));
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };
  return (
    <Modal title={action.title} onClose={onClose}>
      <p>
        <code>{schedule.schedule_id}</code> ({schedule.task_name}, <code>{schedule.cron}</code>){" "}
        {action.explain}
      </p>
      {error ? <p class="form-error">{error}</p> : null}
      <div class="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          {action.keep}
        </button>
        <button
          type="button"
          class={action.tone === "danger" ? "danger" : undefined}
          onClick={() => void confirm()}
          disabled={busy}
        >
          {action.confirm}
        </button>
      </div>
    </Modal>
  );
}
