import { useState } from "preact/hooks";
import { type Execution, unwrap } from "../api/client.js";
import { Modal } from "../components/modal.js";
import type { ActionDialogProps, ExecutionAction } from "./action.js";
import { isTerminal } from "./terminal.js";

interface Draft {
  eventName: string;
  payloadText: string;
  idempotencyKey: string;
}

/** The event the execution waits for now (`go#1` is the second wait for `go`), if any. */
function awaitedEvent(execution: Execution): string {
  const waiting = execution.steps.find((step) => step.kind === "event" && step.status === "waiting");
  return waiting ? waiting.name.replace(/#\d+$/, "") : "";
}

function SendEventDialog({ execution, api, onDone, onClose }: ActionDialogProps) {
  const [draft, setDraft] = useState<Draft>({
    eventName: awaitedEvent(execution),
    payloadText: "{}",
    idempotencyKey: "",
  });
  const [review, setReview] = useState<{ payload: unknown }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const field = (key: keyof Draft) => (event: Event) =>
    setDraft({ ...draft, [key]: (event.currentTarget as HTMLInputElement).value });

  const toReview = (event: Event) => {
    event.preventDefault();
    if (!draft.eventName.trim()) return setError("Name the event.");
    try {
      setReview({ payload: JSON.parse(draft.payloadText) });
      setError(undefined);
    } catch (parseError) {
      setError(
        `The payload is not JSON: ${String(parseError instanceof Error ? parseError.message : parseError)}`,
      );
    }
  };
  const send = async (payload: unknown) => {
    setBusy(true);
    try {
      const key = draft.idempotencyKey.trim();
      const delivery = await unwrap(
        api.POST("/api/v1/events/{execution_id}/{event_name}", {
          params: {
            path: { execution_id: execution.execution_id, event_name: draft.eventName.trim() },
            header: key ? { "idempotency-key": key } : {},
          },
          body: payload,
        }),
      );
      onDone(
        delivery.status === "duplicate" ? "Already delivered with that key: nothing sent." : "Event sent.",
      );
    } catch (failure) {
      setError(String(failure instanceof Error ? failure.message : failure));
      setBusy(false);
    }
  };

  if (review) {
    return (
      <Modal title="Send this event?" onClose={onClose}>
        <p>
          Event <code>{draft.eventName.trim()}</code> to <code>{execution.execution_id}</code>
          {draft.idempotencyKey.trim() ? (
            <>
              {" "}
              with idempotency key <code>{draft.idempotencyKey.trim()}</code>
            </>
          ) : null}
          :
        </p>
        <pre>{JSON.stringify(review.payload, null, 2)}</pre>
        {error ? <p class="form-error">{error}</p> : null}
        <div class="dialog-buttons">
          <button type="button" onClick={() => setReview(undefined)} disabled={busy}>
            Back
          </button>
          <button type="button" class="primary" onClick={() => void send(review.payload)} disabled={busy}>
            Yes, send it
          </button>
        </div>
      </Modal>
    );
  }
  return (
    <Modal title="Send an event" onClose={onClose}>
      <form class="stack" onSubmit={toReview}>
        <label>
          Event name
          <input value={draft.eventName} onInput={field("eventName")} required />
        </label>
        <label>
          Payload (JSON)
          <textarea rows={6} value={draft.payloadText} onInput={field("payloadText")} spellcheck={false} />
        </label>
        <label>
          Idempotency key (optional)
          <input value={draft.idempotencyKey} onInput={field("idempotencyKey")} />
        </label>
        {error ? <p class="form-error">{error}</p> : null}
        <div class="dialog-buttons">
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" class="primary">
            Review…
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** `POST /api/v1/events/{id}/{event_name}`: offered to a finished execution it is a 409, so not shown. */
export const sendEventAction: ExecutionAction = {
  id: "send-event",
  label: "Send event…",
  available: (execution) => !isTerminal(execution.status),
  Dialog: SendEventDialog,
};
