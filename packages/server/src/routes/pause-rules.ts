import { createRoute } from "@hono/zod-openapi";
import type { Duration } from "@zart/core";
import { requireJsonBody } from "../json-body.js";
import {
  CreatePauseRuleBodySchema,
  DeletePauseRuleResultSchema,
  PauseRuleListSchema,
  PauseRuleParamsSchema,
  PauseRuleSchema,
} from "../pause-rule-schemas.js";
import { toWirePauseRule } from "../pause-rule-wire.js";
import { errorResponses, type RouteDeps, SECURITY, type ZartOpenAPIHono } from "./shared.js";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const createPauseRule = createRoute({
  method: "post",
  path: "/api/v1/pause-rules",
  operationId: "createPauseRule",
  summary: "Hold every execution of a task, or only those about to start a named step",
  description:
    "Workers read the rules once per poll interval (at once on stores that push). Without " +
    "`step_name` the task is no longer claimed: its executions stay `pending` (a running one stops " +
    "at its next step). With `step_name` an execution about to start that step becomes `paused` " +
    "there, and is resumed once the rule is deleted or expires. An empty name, a duration that is " +
    "not positive or an expiry in the past is a 400; nothing is stored.",
  security: SECURITY,
  middleware: [requireJsonBody] as const,
  request: { body: { required: true, content: json(CreatePauseRuleBodySchema) } },
  responses: {
    201: { description: "The rule", content: json(PauseRuleSchema) },
    ...errorResponses(400, 401, 413, 415),
  },
});

const listPauseRules = createRoute({
  method: "get",
  path: "/api/v1/pause-rules",
  operationId: "listPauseRules",
  summary: "The pause rules in force (expired ones are left out), by id",
  security: SECURITY,
  responses: {
    200: { description: "The rules", content: json(PauseRuleListSchema) },
    ...errorResponses(401),
  },
});

const deletePauseRule = createRoute({
  method: "delete",
  path: "/api/v1/pause-rules/{rule_id}",
  operationId: "deletePauseRule",
  summary: "Delete a pause rule: what it held runs again",
  security: SECURITY,
  request: { params: PauseRuleParamsSchema },
  responses: {
    200: { description: "Deleted", content: json(DeletePauseRuleResultSchema) },
    ...errorResponses(400, 401, 404),
  },
});

/** `/api/v1/pause-rules`: create, list, delete. */
export function registerPauseRuleRoutes(app: ZartOpenAPIHono, { durable }: RouteDeps): void {
  app.openapi(createPauseRule, async (c) => {
    const body = c.req.valid("json");
    const rule = await durable.pauseRules.create({
      taskName: body.task_name,
      ...(body.step_name === undefined ? {} : { stepName: body.step_name }),
      ...(body.for === undefined ? {} : { for: body.for as Duration }),
      ...(body.until === undefined ? {} : { until: new Date(body.until) }),
    });
    return c.json(toWirePauseRule(rule), 201);
  });
  app.openapi(listPauseRules, async (c) => {
    const rules = await durable.pauseRules.list();
    return c.json({ pause_rules: rules.map(toWirePauseRule) }, 200);
  });
  app.openapi(deletePauseRule, async (c) => {
    await durable.pauseRules.delete(c.req.valid("param").rule_id);
    return c.json({ deleted: true as const }, 200);
  });
}
