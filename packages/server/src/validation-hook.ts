import { envelope } from "./api-error.js";

interface ZodIssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
}

const WHERE: Record<string, string> = {
  json: "body",
  query: "query parameter",
  param: "path parameter",
  header: "header",
};

/**
 * The routes' zod validation hook: a failed request schema is a `400 VALIDATION` whose message
 * names the first problem and whose `details.issues` lists them all as `{ path, message }`.
 */
export function validationHook(
  result: { success: boolean; target: string; error?: { issues: readonly ZodIssueLike[] } },
  c: { json: (body: unknown, status: 400) => Response },
): Response | undefined {
  if (result.success || !result.error) return undefined;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)).join("."),
    message: issue.message,
  }));
  const first = issues[0];
  const where = WHERE[result.target] ?? result.target;
  const message = first
    ? `Invalid ${where}${first.path ? ` "${first.path}"` : ""}: ${first.message}`
    : `Invalid ${where}.`;
  return c.json(envelope("VALIDATION", message, { issues }), 400);
}
