import { type ApiClient, unwrap } from "../api/client.js";
import { executionsHref } from "../router.js";
import { usePolling } from "../use-polling.js";

const POLL_MS = 5_000;

/**
 * Per queue (or task) and concurrency key: the executions running, due and delayed, with the limit
 * when the server's task registry knows it. A row at its limit is highlighted: its due work waits
 * for a slot. The queue name links to its executions.
 */
export function QueuesPage({ api }: { api: ApiClient }) {
  const polled = usePolling(() => unwrap(api.GET("/api/v1/queues")), "queues", POLL_MS);
  const queues = polled.data?.queues ?? [];
  return (
    <section>
      <h1>Queues</h1>
      {polled.error ? <p class="form-error">{polled.error.message}</p> : null}
      <table class="table queues">
        <thead>
          <tr>
            <th>queue / task</th>
            <th>key</th>
            <th>limit</th>
            <th>running</th>
            <th>due</th>
            <th>delayed</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => {
            const full = q.limit !== undefined && q.running >= q.limit;
            const name = q.queue ?? q.task ?? "";
            const filter = new URLSearchParams(q.queue === undefined ? { task: name } : { queue: name });
            return (
              <tr
                key={`${q.queue === undefined ? "task" : "queue"}:${name}\n${q.key ?? ""}`}
                class={full ? "full" : ""}
              >
                <td>
                  <a href={executionsHref(filter)}>
                    {q.queue === undefined ? `task ${name}` : `queue ${name}`}
                  </a>
                </td>
                <td>{q.key ?? ""}</td>
                <td>{q.limit ?? "–"}</td>
                <td>{q.running}</td>
                <td>{q.due}</td>
                <td>{q.delayed}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {polled.data && queues.length === 0 ? <p class="muted">Nothing is running, due or delayed.</p> : null}
    </section>
  );
}
