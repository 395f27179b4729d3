import { z } from "@hono/zod-openapi";
import { IdSchema, PauseRuleSchema } from "./schemas.js";

export { PauseRuleSchema };

/** The zod schemas of `/api/v1/pause-rules`, in the API's snake_case. */

const DateTime = z.iso.datetime({ offset: true });

export const CreatePauseRuleBodySchema = z
  .strictObject({
    task_name: IdSchema.openapi({
      description: "The task whose executions to hold (need not be registered).",
      example: "charge-card",
    }),
    step_name: IdSchema.optional().openapi({
      description: "Only executions about to start this step (they become `paused` there).",
      example: "capture",
    }),
    for: z
      .union([z.string().min(1), z.number()])
      .optional()
      .openapi({ description: 'Expire this long after creation: "1h", "30m" or milliseconds (> 0).' }),
    until: DateTime.optional().openapi({ description: "Expire at this instant (not with `for`)." }),
  })
  .openapi("CreatePauseRule");

export const PauseRuleListSchema = z
  .object({ pause_rules: z.array(PauseRuleSchema) })
  .openapi("PauseRuleList");

export const PauseRuleParamsSchema = z.object({
  rule_id: IdSchema.openapi({ param: { name: "rule_id", in: "path" } }),
});

export const DeletePauseRuleResultSchema = z.object({ deleted: z.literal(true) }).openapi("PauseRuleDeleted");

export type WirePauseRule = z.infer<typeof PauseRuleSchema>;
