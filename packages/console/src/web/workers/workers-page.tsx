import { type ApiClient, unwrap } from "../api/client.js";
import { Time } from "../components/time.js";
import { usePolling } from "../use-polling.js";

/** How often the page is read again: heartbeats come every third of a lease (10 s by default). */
const POLL_MS = 5_000;

/**
 * The registered workers: where each runs (host, pid), what it claims, and its last heartbeat. A
 * worker silent for longer than its lease duration is `gone` (crashed or cut off from the store);
 * its running executions are reclaimed once their leases expire.
 */
export function WorkersPage({ api }: { api: ApiClient }) {
  const polled = usePolling(() => unwrap(api.GET("/api/v1/workers")), "workers", POLL_MS);
  const workers = polled.data?.workers ?? [];
  return (
    <section>
      <h1>Workers</h1>
      {polled.error ? <p class="form-error">{polled.error.message}</p> : null}
      <table class="table workers">
        <thead>
          <tr>
            <th>worker</th>
            <th>host</th>
            <th>pid</th>
            <th>tasks</th>
            <th>concurrency</th>
            <th>started</th>
            <th>last heartbeat</th>
            <th>state</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <tr key={worker.worker_id}>
              <td>
                <code>{worker.worker_id}</code>
              </td>
              <td>{worker.host}</td>
              <td>{worker.pid}</td>
              <td>{worker.tasks.join(", ")}</td>
              <td>{worker.concurrency}</td>
              <td>
                <Time iso={worker.started_at} />
              </td>
              <td>
                <Time iso={worker.last_heartbeat_at} />
              </td>
              <td>
                <span class={`badge badge-${worker.state === "alive" ? "completed" : "failed"}`}>
                  {worker.state}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {polled.data && workers.length === 0 ? <p class="muted">No worker is registered.</p> : null}
    </section>
  );
}
