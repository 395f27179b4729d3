/**
 * `Promise.withResolvers` for Node 20 (it arrived in Node 22), which the Restate SDK calls. Imported
 * for its side effect before the SDK, so it is in place when the SDK runs.
 */
// Typed by hand: the project's TypeScript lib predates `withResolvers`.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
