import { expect, it } from "vitest";
import { type ConformanceSkips, eventsSuite, SUITES } from "../src/index.js";

it("types skips as the real suite names and test ids: a misspelt id does not compile", () => {
  const skips: ConformanceSkips = { events: "a whole topic", "events.wakesWorkerByPush": "one test" };
  // @ts-expect-error a test id no suite lists
  const typo: ConformanceSkips = { "events.wakesWorkerByPushh": "misspelt" };
  // @ts-expect-error a topic that does not exist
  const topic: ConformanceSkips = { event: "misspelt" };
  expect(Object.keys({ ...skips, ...typo, ...topic })).toHaveLength(4);
  expect(eventsSuite.tests).toContain("wakesWorkerByPush");
});

it("names every suite once and lists each test id once within its suite", () => {
  const names = SUITES.map((suite) => suite.suiteName);
  expect(new Set(names).size).toBe(names.length);
  for (const suite of SUITES) expect(new Set(suite.tests).size).toBe(suite.tests.length);
});
