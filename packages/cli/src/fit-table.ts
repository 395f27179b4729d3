import { stripVTControlCharacters } from "node:util";
import Table from "cli-table3";

const TABLE_STYLE = { head: [], border: [] };
/** A column is never shrunk below this (content + padding), so every column stays legible. */
const MIN_COLUMN = 6;

/** The width tables must fit: the terminal's, when stdout is one; else none (pipes get it all). */
export function terminalWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/**
 * Renders a table (cli-table3) no wider than `width`: while it is too wide the widest column loses
 * a character, and cli-table3 cuts the cells that no longer fit with "…". Without a width, or when
 * it fits, columns take their natural width.
 */
export function fitTable(head: string[], rows: string[][], width: number | undefined): string {
  const natural = head.map((_, i) =>
    Math.max(...[head, ...rows].map((row) => stripVTControlCharacters(row[i] ?? "").length + 2)),
  );
  const borders = head.length + 1;
  const widths = [...natural];
  if (width !== undefined) {
    let total = widths.reduce((a, b) => a + b, 0) + borders;
    while (total > width) {
      const widest = widths.indexOf(Math.max(...widths));
      if ((widths[widest] ?? 0) <= MIN_COLUMN) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
      total--;
    }
  }
  const shrunk = widths.some((w, i) => w < (natural[i] ?? 0));
  const table = new Table({ head, style: TABLE_STYLE, ...(shrunk ? { colWidths: widths } : {}) });
  table.push(...rows);
  return table.toString();
}
