import { EXECUTION_STATUSES } from "@zart/core/vocabularies";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type Execution = components["schemas"]["Execution"];
export type ExecutionState = components["schemas"]["ExecutionState"];
export type Step = components["schemas"]["Step"];
export type MailboxEvent = components["schemas"]["MailboxEvent"];
export type ErrorInfo = components["schemas"]["ErrorInfo"];
export type PauseRule = components["schemas"]["PauseRule"];
export type Schedule = components["schemas"]["Schedule"];
export type RunSummary = components["schemas"]["RunSummary"];
export type ApiClient = ReturnType<typeof createApiClient>;

/** Every execution state, in the order the filters list them: core's vocabulary (browser-safe entry). */
export const EXECUTION_STATES: readonly ExecutionState[] = EXECUTION_STATUSES;

/** An error answer of the API (`{"error":{"code","message"}}`), or a network failure (status 0). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

/**
 * The typed client of the HTTP API. The token goes in the `Authorization` header of each request
 * and nowhere else: `credentials: "omit"` keeps cookies out, so no other site can act with it.
 */
export function createApiClient(options: {
  baseUrl: string;
  token: () => string | null;
  onUnauthorized: () => void;
}) {
  const client = createClient<paths>({ baseUrl: options.baseUrl, credentials: "omit" });
  client.use({
    onRequest({ request }) {
      const token = options.token();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized();
      return response;
    },
  });
  return client;
}

/** The API's base URL, from the `zart-api-base` meta tag the server writes into the page. */
export function apiBaseUrl(): string {
  const base = document.querySelector<HTMLMetaElement>('meta[name="zart-api-base"]')?.content ?? "/";
  return new URL(base, window.location.href).href.replace(/\/+$/, "");
}

/** The data of an openapi-fetch answer, or an {@link ApiFailure}. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (error) {
    throw new ApiFailure(0, "NETWORK", `The server did not answer: ${String(error)}`);
  }
  if (answer.error === undefined && answer.data !== undefined) return answer.data;
  const envelope = answer.error as { error?: { code?: string; message?: string } } | undefined;
  throw new ApiFailure(
    answer.response.status,
    envelope?.error?.code ?? "HTTP_ERROR",
    envelope?.error?.message ?? `HTTP ${answer.response.status}`,
  );
}
