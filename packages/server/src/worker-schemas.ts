import { z } from "@hono/zod-openapi";

/** The zod schemas of `GET /api/v1/workers`, in the API's snake_case. */

const DateTime = z.iso.datetime().openapi({ example: "2025-01-31T12:00:00.000Z" });

export const WorkerSchema = z
  .object({
    worker_id: z.string(),
    host: z.string(),
    pid: z.number().int(),
    tasks: z.array(z.string()).openapi({ description: "The tasks it claims." }),
    concurrency: z.number().int(),
    lease_ms: z.number().int().openapi({ description: "Its lease duration." }),
    started_at: DateTime,
    last_heartbeat_at: DateTime,
    state: z.enum(["alive", "gone"]).openapi({
      description: "`gone`: no heartbeat for longer than its lease duration (crashed or cut off).",
    }),
  })
  .openapi("Worker");

export const WorkerListSchema = z.object({ workers: z.array(WorkerSchema) }).openapi("WorkerList");

export type WireWorker = z.infer<typeof WorkerSchema>;
