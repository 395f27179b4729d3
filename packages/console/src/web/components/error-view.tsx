import type { ErrorInfo } from "../api/client.js";
import { JsonView } from "./json-view.js";

/**
 * A persisted error: name, code, message, details, and its chain of causes. The store keeps no
 * stack trace (`ErrorInfo` never carries one), so none is shown.
 */
export function ErrorView({ error }: { error: ErrorInfo }) {
  const cause = asErrorInfo(error.cause);
  return (
    <div class="error-info" role="alert">
      <div>
        <strong>{error.name}</strong>
        {error.code ? <code class="error-code">{error.code}</code> : null}
      </div>
      <pre class="error-message">{error.message}</pre>
      {error.details ? <JsonView label="details" value={error.details} /> : null}
      {cause ? (
        <div class="error-cause">
          <span class="muted">caused by</span>
          <ErrorView error={cause} />
        </div>
      ) : null}
    </div>
  );
}

function asErrorInfo(value: unknown): ErrorInfo | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Partial<ErrorInfo>;
  return typeof candidate.name === "string" && typeof candidate.message === "string"
    ? (candidate as ErrorInfo)
    : undefined;
}
