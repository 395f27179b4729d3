import type { PendingReason, QueueInfo } from "@zart/core";
import type { WirePendingReason, WireQueue } from "./queue-schemas.js";

/** A pending reason in the API's snake_case (one flat object; `kind` says which fields it has). */
export function toWirePendingReason(reason: PendingReason): WirePendingReason {
  const { kind, message } = reason;
  switch (reason.kind) {
    case "not-due":
      return { kind, message, until: reason.until.toISOString(), cause: reason.cause };
    case "rate-limit":
      return { kind, message, until: reason.until.toISOString(), rate_key: reason.rateKey };
    case "concurrency-limit":
      return {
        kind,
        message,
        concurrency_key: reason.concurrencyKey,
        ...(reason.key === undefined ? {} : { key: reason.key }),
        running: reason.running,
        limit: reason.limit,
      };
    case "priority":
      return { kind, message, priority: reason.priority, top_due_priority: reason.topDuePriority };
    case "lease-expired":
      return {
        kind,
        message,
        expired_at: reason.expiredAt.toISOString(),
        ...(reason.workerId === undefined ? {} : { worker_id: reason.workerId }),
      };
    case "no-worker":
      return { kind, message, task: reason.task };
    default:
      return { kind, message };
  }
}

/** One queue row in the API's snake_case. */
export function toWireQueue(queue: QueueInfo): WireQueue {
  return {
    ...(queue.queue === undefined ? {} : { queue: queue.queue }),
    ...(queue.task === undefined ? {} : { task: queue.task }),
    ...(queue.key === undefined ? {} : { key: queue.key }),
    ...(queue.limit === undefined ? {} : { limit: queue.limit }),
    running: queue.running,
    due: queue.due,
    delayed: queue.delayed,
  };
}
