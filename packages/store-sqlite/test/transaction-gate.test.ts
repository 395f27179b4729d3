import { describe, expect, it } from "vitest";
import { TransactionGate } from "../src/db/transaction-gate.js";

/** A body that records its start and end, and ends when `finish` is called. */
function body(log: string[], name: string) {
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const run = async () => {
    log.push(`${name} start`);
    await ended;
    log.push(`${name} end`);
    return name;
  };
  return { run, finish };
}

describe("TransactionGate", () => {
  it("runs a verb at once while no body holds the connection", () => {
    const gate = new TransactionGate();
    expect(gate.whenFree(() => 42)).toBe(42);
  });

  it("serves waiters first come, first served: a verb queued behind a body runs before later bodies", async () => {
    const gate = new TransactionGate();
    const log: string[] = [];
    const a = body(log, "A");
    const b = body(log, "B");
    const ranA = gate.run(a.run);
    const verb1 = gate.whenFree(() => log.push("verb 1"));
    const ranB = gate.run(b.run);
    const verb2 = gate.whenFree(() => log.push("verb 2"));
    await Promise.resolve();
    expect(log).toEqual(["A start"]);

    a.finish();
    expect(await ranA).toBe("A");
    await verb1;
    await new Promise((resolve) => setImmediate(resolve));
    // verb 2 arrived after B: it waits for B's end.
    expect(log).toEqual(["A start", "A end", "verb 1", "B start"]);

    b.finish();
    expect(await ranB).toBe("B");
    await verb2;
    expect(log).toEqual(["A start", "A end", "verb 1", "B start", "B end", "verb 2"]);
    expect(gate.whenFree(() => "free again")).toBe("free again");
  });

  it("rejects a waiting verb that throws and goes on with the next waiters", async () => {
    const gate = new TransactionGate();
    const log: string[] = [];
    const a = body(log, "A");
    const ranA = gate.run(a.run);
    const failing = gate.whenFree(() => {
      throw new Error("verb failed");
    });
    const next = gate.whenFree(() => "next");
    a.finish();
    await ranA;
    await expect(failing).rejects.toThrow("verb failed");
    expect(await next).toBe("next");
  });

  it("hands the connection on when a body throws", async () => {
    const gate = new TransactionGate();
    const failing = gate.run(async () => {
      throw new Error("body failed");
    });
    const after = gate.whenFree(() => "after");
    await expect(failing).rejects.toThrow("body failed");
    expect(await after).toBe("after");
  });
});
