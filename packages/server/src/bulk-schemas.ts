import { z } from "@hono/zod-openapi";
import { BULK_ACTIONS } from "@zart/core";
import { CreatedBound, ExecutionStatusEnum, IdSchema } from "./schemas.js";

export const BulkBodySchema = z
  .strictObject({
    action: z.enum(BULK_ACTIONS).openapi({ example: "retry" }),
    filter: z
      .strictObject({
        status: ExecutionStatusEnum.optional(),
        task_name: IdSchema.optional(),
        created_after: CreatedBound.optional(),
        created_before: CreatedBound.optional(),
      })
      .refine(
        (f) => Object.keys(f).length > 0,
        "needs at least one of status, task_name, created_after, created_before",
      )
      .openapi({ description: "Which executions: at least one condition." }),
    dry_run: z.boolean().default(false).openapi({ description: "Count only; change nothing." }),
  })
  .openapi("BulkAction");

export const BulkResultSchema = z
  .object({
    matched: z.number().int().openapi({ description: "Executions the filter selected." }),
    changed: z
      .number()
      .int()
      .openapi({ description: "Executions the action changed (dry run: would change)." }),
    skipped: z.number().int(),
    skipped_reasons: z.record(z.string(), z.number().int()).openapi({
      description: "Skipped executions per reason, e.g. `EXECUTION_NOT_RETRYABLE`, `ALREADY_FINISHED`.",
      example: { EXECUTION_NOT_RETRYABLE: 2 },
    }),
  })
  .openapi("BulkResult");
