import { useState } from "preact/hooks";
import { type ApiClient, unwrap } from "../api/client.js";

/**
 * Creates a pause rule (`POST /api/v1/pause-rules`): a task, optionally a step and how long it
 * lasts. The server validates (an empty task, a bad duration): its message is shown as is.
 */
export function PauseRuleForm({ api, onCreated }: { api: ApiClient; onCreated: (message: string) => void }) {
  const [task, setTask] = useState("");
  const [step, setStep] = useState("");
  const [lasts, setLasts] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const rule = await unwrap(
        api.POST("/api/v1/pause-rules", {
          body: {
            task_name: task.trim(),
            ...(step.trim() ? { step_name: step.trim() } : {}),
            ...(lasts.trim() ? { for: lasts.trim() } : {}),
          },
        }),
      );
      setTask("");
      setStep("");
      setLasts("");
      onCreated(`Pausing ${rule.task_name}${rule.step_name ? ` at step ${rule.step_name}` : ""}.`);
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="inline-form pause-rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        Task
        <input value={task} required onInput={(event) => setTask(event.currentTarget.value)} />
      </label>
      <label>
        Step
        <input
          value={step}
          placeholder="every execution"
          onInput={(event) => setStep(event.currentTarget.value)}
        />
      </label>
      <label>
        For
        <input
          value={lasts}
          placeholder="until deleted"
          onInput={(event) => setLasts(event.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        Pause
      </button>
      {error ? <p class="form-error">{error}</p> : null}
    </form>
  );
}
