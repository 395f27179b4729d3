import { beforeAll, describe, it, type TestAPI, type TestFunction } from "vitest";
import type { Harness } from "./harness.js";

/**
 * How a suite registers one test: under an `id` of the suite's id list (a typo is a compile
 * error), so that a store can skip it by `"<suite>.<id>"`.
 */
export interface SuiteTest<Id extends string> {
  (id: Id, title: string, fn: TestFunction, timeout?: number): void;
  /** `it.each` (or `it.skip.each`) for the cases registered under one id: `test.each(id)(cases)(title, fn)`. */
  each(id: Id): TestAPI["each"];
}

/** A topic suite: call it with a harness to register its tests in a `describe` of its name. */
export interface Suite<Name extends string, Id extends string> {
  (harness: Harness): void;
  readonly suiteName: Name;
  readonly tests: readonly Id[];
}

/** The ids a store may skip: `"<suite>"` or `"<suite>.<test id>"`, of every suite given. */
export type SkipIdOf<S> = S extends Suite<infer Name, infer Id> ? Name | `${Name}.${Id}` : never;

/**
 * Defines a topic suite named `name` whose tests are `ids` (unique within the suite). `body`
 * registers each of them once through `test`; registering an id twice throws while the suite is
 * collected, leaving one out fails the suite before its first test.
 */
export function defineSuite<const Name extends string, const Id extends string>(
  name: Name,
  ids: readonly Id[],
  body: (h: Harness, test: SuiteTest<Id>) => void,
): Suite<Name, Id> {
  if (new Set(ids).size !== ids.length) throw new Error(`Suite "${name}" lists a test id twice.`);
  const suite = (harness: Harness) => {
    describe(name, () => {
      const registered = new Set<string>();
      const register = (id: Id): string | undefined => {
        if (registered.has(id)) throw new Error(`Suite "${name}" registers "${id}" twice.`);
        registered.add(id);
        return harness.skipReason(name, id);
      };
      const test = ((id: Id, title: string, fn: TestFunction, timeout?: number) => {
        const reason = register(id);
        if (reason === undefined) it(title, fn, timeout);
        else it.skip(`${title} [skipped: ${reason}]`, fn, timeout);
      }) as SuiteTest<Id>;
      test.each = (id) => (register(id) === undefined ? it.each.bind(it) : it.skip.each.bind(it.skip));
      body(harness, test);
      // Nested `describe` bodies are collected after this one returns: check once all are.
      beforeAll(() => {
        const missing = ids.filter((id) => !registered.has(id));
        if (missing.length > 0) throw new Error(`Suite "${name}" never registers ${missing.join(", ")}.`);
      });
    });
  };
  return Object.assign(suite, { suiteName: name, tests: ids });
}
