/** Payloads longer than this many lines start collapsed. */
const OPEN_UP_TO_LINES = 20;

/**
 * A JSON value, pretty-printed and collapsible. Rendered as text (never as HTML), so a payload
 * holding markup or script shows as the characters it is.
 */
export function JsonView({ label, value }: { label: string; value: unknown }) {
  const text = value === undefined ? "(none)" : (JSON.stringify(value, null, 2) ?? String(value));
  const lines = text.split("\n").length;
  return (
    <details class="json" open={lines <= OPEN_UP_TO_LINES}>
      <summary>
        {label} <span class="muted">({lines === 1 ? "1 line" : `${lines} lines`})</span>
      </summary>
      <pre>{text}</pre>
    </details>
  );
}
