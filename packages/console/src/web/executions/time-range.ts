/**
 * The list's created-time range: kept in the link as ISO instants, edited in `datetime-local`
 * inputs, which speak the browser's local time without an offset.
 */

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-12-06T07:05:09` in local time, for a `datetime-local` input; "" for no (or a bad) instant. */
export function toLocalInput(iso: string): string {
  const at = new Date(iso);
  if (!iso || Number.isNaN(at.getTime())) return "";
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
  );
}

/** The ISO instant of a `datetime-local` value (read as local time); "" for an empty or bad one. */
export function fromLocalInput(value: string): string {
  const at = new Date(value);
  return value && !Number.isNaN(at.getTime()) ? at.toISOString() : "";
}

/** A link's instant as the API takes it, or undefined when absent or not an instant. */
export function validInstant(iso: string): string | undefined {
  return iso && !Number.isNaN(new Date(iso).getTime()) ? new Date(iso).toISOString() : undefined;
}
