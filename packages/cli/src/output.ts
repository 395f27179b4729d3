import pc from "picocolors";

/** Colour functions, or identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour is on when the stream is a TTY (or `FORCE_COLOR` is set and not `0`) and off whenever
 * `NO_COLOR` is set to anything non-empty, or `TERM=dumb`.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** Colours for stdout. */
export function stdoutColors(): Colors {
  return pc.createColors(colorEnabled(process.stdout));
}

/** Colours for stderr. */
export function stderrColors(): Colors {
  return pc.createColors(colorEnabled(process.stderr));
}

/** Prints a line on stdout. */
export function out(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Prints a line on stderr. */
export function err(line = ""): void {
  process.stderr.write(`${line}\n`);
}

/** Prints a value as pretty JSON on stdout (`--json`). */
export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** Colour of an execution or step status. */
export function paintStatus(status: string, c: Colors): string {
  switch (status) {
    case "completed":
      return c.green(status);
    case "failed":
      return c.red(status);
    case "cancelled":
      return c.gray(status);
    case "running":
      return c.cyan(status);
    case "waiting":
      return c.yellow(status);
    default:
      return c.blue(status);
  }
}

/** A JSON value on one line, cut to `max` characters. */
export function preview(value: unknown, max = 60): string {
  if (value === undefined) return "";
  return truncate(JSON.stringify(value) ?? String(value), max);
}

/** Text on one line, cut to `max` characters. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A date for humans: ISO-8601 to the second, UTC. */
export function when(date: string | undefined): string {
  return date ? `${date.slice(0, 19).replace("T", " ")}Z` : "";
}
