import { useState } from "preact/hooks";
import { type ApiClient, type PauseRule, unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";
import { Time } from "../components/time.js";
import { usePolling } from "../use-polling.js";
import { PauseRuleForm } from "./pause-rule-form.js";

const POLL_MS = 5_000;

/**
 * Pause rules: hold every execution of a task (they stay pending), or only those about to start a
 * named step (they become paused there), until the rule is deleted or expires.
 */
export function PauseRulesPage({ api }: { api: ApiClient }) {
  const polled = usePolling(() => unwrap(api.GET("/api/v1/pause-rules")), "pause-rules", POLL_MS);
  const [message, setMessage] = useState<string>();
  const [deleting, setDeleting] = useState<PauseRule>();
  const rules = polled.data?.pause_rules ?? [];
  const done = (text: string) => {
    setMessage(text);
    setDeleting(undefined);
    polled.reload();
  };
  return (
    <section>
      <h1>Pause rules</h1>
      <PauseRuleForm api={api} onCreated={done} />
      {message ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
      {polled.error ? <p class="form-error">{polled.error.message}</p> : null}
      <table class="table pause-rules">
        <thead>
          <tr>
            <th>task</th>
            <th>step</th>
            <th>created</th>
            <th>expires</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.rule_id}>
              <td>{rule.task_name}</td>
              <td>{rule.step_name ?? <span class="muted">every execution</span>}</td>
              <td>
                <Time iso={rule.created_at} />
              </td>
              <td>{rule.expires_at ? <Time iso={rule.expires_at} /> : <span class="muted">never</span>}</td>
              <td>
                <button type="button" class="danger" onClick={() => setDeleting(rule)}>
                  Delete…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {polled.data && rules.length === 0 ? <p class="muted">No pause rule is in force.</p> : null}
      {deleting ? (
        <DeleteDialog api={api} rule={deleting} onDone={done} onClose={() => setDeleting(undefined)} />
      ) : null}
    </section>
  );
}

function DeleteDialog(props: {
  api: ApiClient;
  rule: PauseRule;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { api, rule, onDone, onClose } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const confirm = async () => {
    setBusy(true);
    try {
      await unwrap(
        api.DELETE("/api/v1/pause-rules/{rule_id}", { params: { path: { rule_id: rule.rule_id } } }),
      );
      onDone(`Deleted the rule on ${rule.task_name}.`);
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };
  return (
    <Modal title="Delete this pause rule?" onClose={onClose}>
      <p>
        What it holds on <code>{rule.task_name}</code>
        {rule.step_name ? (
          <>
            {" "}
            at step <code>{rule.step_name}</code>
          </>
        ) : null}{" "}
        runs again within a poll interval.
      </p>
      {error ? <p class="form-error">{error}</p> : null}
      <div class="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy}>
          Keep it
        </button>
        <button type="button" class="danger" onClick={() => void confirm()} disabled={busy}>
          Yes, delete it
        </button>
      </div>
    </Modal>
  );
}
