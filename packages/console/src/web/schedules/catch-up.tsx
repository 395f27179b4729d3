import type { Schedule } from "../api/client.js";

const UNITS: readonly [ms: number, unit: string][] = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "min"],
  [1_000, "s"],
];

/** `1 d`, `6 h`, `90 min`: the largest unit that divides the span exactly. */
export function formatSpan(ms: number): string {
  for (const [size, unit] of UNITS) if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}

/** The fires missed while no worker ran (`none`, `latest`, `all`), and how far back they reach. */
export function CatchUp({ schedule }: { schedule: Schedule }) {
  if (schedule.catchup === "none") return <>none</>;
  return (
    <>
      {schedule.catchup} within {formatSpan(schedule.catchup_window_ms)}
    </>
  );
}
