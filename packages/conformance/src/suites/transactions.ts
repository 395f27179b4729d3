import { defineTask, InvalidTransactionError, TransactionsNotSupportedError } from "@zart/core";
import { describe, expect } from "vitest";
import { defineSuite } from "../define-suite.js";

/** The ids of the tests below, for a store's `skip` (`"<suite>.<id>"`). */
export const TRANSACTIONS_TESTS = [
  "refusesStartTransaction",
  "refusesCtxTransaction",
  "refusesOfferTransaction",
] as const;

/**
 * `start(..., { transaction })` seen from any store: refused with a typed error by a store without
 * the `transactionalStart` capability, and a handle no store can use is refused by one with it;
 * either way nothing is persisted. `ctx.transaction` on a store without `transactionalSteps`:
 * `TransactionsNotSupportedError` at the call, the body never run, nothing recorded. The
 * commit/rollback behaviour is tested per store (the handle is store-specific).
 */
export const transactionsSuite = defineSuite("transactions", TRANSACTIONS_TESTS, (h, test) => {
  const task = defineTask({ name: "ship", run: async () => "shipped" });

  describe("start(..., { transaction })", () => {
    test(
      "refusesStartTransaction",
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

  describe("ctx.transaction without the transactionalSteps capability", () => {
    test(
      "refusesCtxTransaction",
      "throws TransactionsNotSupportedError at the call: the body never runs, nothing is recorded",
      async () => {
        let bodies = 0;
        const transfer = defineTask({
          name: "transfer",
          async run(ctx) {
            const error = await ctx
              .transaction("move", () => {
                bodies++;
                return 1;
              })
              .catch((e: unknown) => e);
            return { name: (error as Error).name, code: (error as { code?: string }).code };
          },
        });
        const env = await h.env(transfer);
        if (env.scheduler.capabilities.transactionalSteps) return;
        await env.durable.start("t1", "transfer", null);
        await env.run();
        expect(await env.durable.status("t1")).toMatchObject({
          status: "completed",
          result: { name: "TransactionsNotSupportedError", code: "TRANSACTIONS_NOT_SUPPORTED" },
        });
        expect(bodies).toBe(0);
        expect((await env.scheduler.getExecution("t1"))?.steps).toEqual([]);
      },
    );
  });

  describe("offerEvent(..., { transaction })", () => {
    test(
      "refusesOfferTransaction",
      "is refused with a typed error naming the problem, persisting nothing",
      async () => {
        const env = await h.env(task);
        await env.durable.start("e1", "ship", null);
        const offers = [
          env.durable.offerEvent("e1", "go", 1, { transaction: { not: "a transaction" } }),
          env.durable.offerEvent("e2", "go", 2, {
            transaction: { not: "a transaction" },
            startIfMissing: { task, data: null },
          }),
        ];
        for (const offer of offers) {
          const error = await offer.catch((e: unknown) => e);
          if (env.scheduler.capabilities.transactionalStart) {
            expect(error).toBeInstanceOf(InvalidTransactionError);
          } else {
            expect(error).toBeInstanceOf(TransactionsNotSupportedError);
            expect((error as Error).message).toMatch(/cannot offer an event inside your transaction/);
          }
        }
        expect((await env.durable.status("e1")).events).toEqual([]);
        expect(await env.scheduler.getExecution("e2")).toBeUndefined();
      },
    );
  });
});
