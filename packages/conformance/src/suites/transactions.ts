import { defineTask, InvalidTransactionError, TransactionsNotSupportedError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const TRANSACTIONS_TESTS = ["refusedTypedErrorNaming"] as const;

/**
 * `start(..., { transaction })` seen from any store: refused with a typed error by a store without
 * the `transactionalStart` capability, and a handle no store can use is refused by one with it;
 * either way nothing is persisted. The commit/rollback behaviour is tested per store (the handle
 * is store-specific).
 */
export const transactionsSuite = defineSuite("transactions", TRANSACTIONS_TESTS, (h, test) => {
  const task = defineTask({ name: "ship", run: async () => "shipped" });

  describe("start(..., { transaction })", () => {
    test(
      "refusedTypedErrorNaming",
      "is refused with a typed error naming the problem, persisting nothing",
      async () => {
        const env = await h.env(task);
        const error = await env.durable
          .start("e1", "ship", null, { transaction: { not: "a transaction" } })
          .catch((e: unknown) => e);
        if (env.scheduler.capabilities.transactionalStart) {
          expect(error).toBeInstanceOf(InvalidTransactionError);
          expect(error).toMatchObject({ code: "INVALID_TRANSACTION" });
        } else {
          expect(error).toBeInstanceOf(TransactionsNotSupportedError);
          expect(error).toMatchObject({ code: "TRANSACTIONS_NOT_SUPPORTED" });
          expect((error as Error).message).toMatch(/cannot start an execution inside your transaction/);
        }
        expect(await env.scheduler.getExecution("e1")).toBeUndefined();
        expect(await env.durable.listExecutions()).toEqual([]);
      },
    );
  });
});
