import { z } from "@hono/zod-openapi";
import { PENDING_REASONS } from "@zart/core";

/** The zod schemas of `GET /api/v1/queues` and of an execution's `pending_reason`, in snake_case. */

const DateTime = z.iso.datetime().openapi({ example: "2025-01-31T12:00:00.000Z" });

export const PendingReasonSchema = z
  .object({
    kind: z.enum(PENDING_REASONS),
    message: z.string().openapi({ example: "concurrency limit tenant-7: 5/5" }),
    until: DateTime.optional().openapi({
      description: "`not-due`: its wake time; `rate-limit`: the end of the full window.",
    }),
    rate_key: z.string().optional().openapi({ description: "`rate-limit`: the rate key." }),
    cause: z.string().optional().openapi({
      description: "`not-due`: sleep, retry, event, children, child-executions or delayed-start.",
    }),
    concurrency_key: z.string().optional().openapi({ description: "`concurrency-limit`: the group." }),
    key: z
      .string()
      .optional()
      .openapi({ description: "`concurrency-limit`: the key its key(data) returned." }),
    running: z.number().int().optional().openapi({ description: "`concurrency-limit`: leases held." }),
    limit: z.number().int().optional().openapi({ description: "`concurrency-limit`: the group's limit." }),
    priority: z.number().int().optional().openapi({ description: "`priority`: its own." }),
    top_due_priority: z
      .number()
      .int()
      .optional()
      .openapi({ description: "`priority`: the highest among due work." }),
    expired_at: DateTime.optional().openapi({ description: "`lease-expired`: when the lease ran out." }),
    worker_id: z.string().optional().openapi({ description: "`lease-expired`: the last holder." }),
    task: z.string().optional().openapi({ description: "`no-worker`: the task no live worker runs." }),
  })
  .openapi("PendingReason", { description: "Why the execution does not run now (status only, not lists)." });

export const QueueSchema = z
  .object({
    queue: z.string().optional().openapi({ description: "The queue (defineQueue); absent for a task." }),
    task: z.string().optional().openapi({ description: "The task (its own limit, or none)." }),
    key: z.string().optional().openapi({ description: "The concurrency key, for a keyed group." }),
    limit: z
      .number()
      .int()
      .optional()
      .openapi({ description: "The limit, when the server's task registry knows it." }),
    running: z.number().int().openapi({ description: "Executions holding an unexpired lease." }),
    due: z.number().int().openapi({ description: "Due executions not held (expired leases included)." }),
    delayed: z.number().int().openapi({ description: "Pending executions due later." }),
  })
  .openapi("Queue");

export const QueueListSchema = z.object({ queues: z.array(QueueSchema) }).openapi("QueueList");

export type WirePendingReason = z.infer<typeof PendingReasonSchema>;
export type WireQueue = z.infer<typeof QueueSchema>;
