/** An instant as local date and time, with the ISO form on hover. */
export function Time({ iso }: { iso: string | undefined }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {new Date(iso).toLocaleString()}
    </time>
  );
}

/** `1.2 s`, `3 min 4 s`, `2 h 5 min`: how long from `from` to `to` (or to now while running). */
export function formatDuration(
  fromIso: string | undefined,
  toIso: string | undefined,
  now = new Date(),
): string {
  if (!fromIso) return "—";
  const ms = (toIso ? new Date(toIso) : now).getTime() - new Date(fromIso).getTime();
  if (ms < 1_000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((ms % 60_000) / 1_000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
