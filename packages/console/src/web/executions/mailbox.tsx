import type { MailboxEvent } from "../api/client.js";
import { JsonView } from "../components/json-view.js";
import { Time } from "../components/time.js";

/** The events offered to the execution: pending ones wait for a `waitForEvent`, consumed ones were read. */
export function Mailbox({ events }: { events: MailboxEvent[] }) {
  if (events.length === 0) return <p class="muted">No event was offered to this execution.</p>;
  return (
    <table class="table">
      <thead>
        <tr>
          <th>event</th>
          <th>state</th>
          <th>offered</th>
          <th>consumed</th>
          <th>idempotency key</th>
          <th>payload</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={`${event.event_name}@${event.offered_at}@${event.idempotency_key ?? ""}`}>
            <td>
              <code>{event.event_name}</code>
            </td>
            <td>{event.consumed_at ? "consumed" : "pending"}</td>
            <td>
              <Time iso={event.offered_at} />
            </td>
            <td>
              <Time iso={event.consumed_at} />
            </td>
            <td>
              {event.idempotency_key ? <code>{event.idempotency_key}</code> : <span class="muted">—</span>}
            </td>
            <td>
              <JsonView label="payload" value={event.payload} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
