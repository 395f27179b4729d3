import { stripVTControlCharacters } from "node:util";
import type { WireExecution } from "@zart/server";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { fitTable, terminalWidth } from "../src/fit-table.js";
import { formatList } from "../src/format-status.js";

const execution = (id: string): WireExecution =>
  ({
    execution_id: id,
    name: "a-task-with-a-rather-long-name",
    status: "completed",
    attempt: 1,
    steps: [],
    events: [],
    payload: null,
    created_at: "2030-01-01T00:00:00.000Z",
    completed_at: "2030-01-01T00:00:01.000Z",
  }) as unknown as WireExecution;

const widest = (text: string) => Math.max(...text.split("\n").map((l) => stripVTControlCharacters(l).length));

describe("tables fit the terminal", () => {
  const rows = [execution(`order-${"x".repeat(120)}`), execution("short")];

  it.each([60, 80, 100])(
    "a list is at most %i columns wide, colours included, long cells cut with …",
    (width) => {
      const text = formatList(rows, pc.createColors(true), width);
      expect(widest(text)).toBeLessThanOrEqual(width);
      expect(text).toContain("…");
      expect(text).toContain("short");
    },
  );

  it("without a terminal width nothing is cut", () => {
    const text = formatList(rows, pc.createColors(false), undefined);
    expect(text).toContain(`order-${"x".repeat(120)}`);
  });

  it("keeps natural widths when they fit", () => {
    expect(fitTable(["a", "b"], [["1", "2"]], 80)).toBe(fitTable(["a", "b"], [["1", "2"]], undefined));
  });

  it("reads the width only from a terminal", () => {
    expect(terminalWidth({ isTTY: true, columns: 91 })).toBe(91);
    expect(terminalWidth({ isTTY: false, columns: 91 })).toBeUndefined();
  });
});
