import type { IncomingMessage } from "node:http";

/** Default bound of {@link discardUnreadBody}: past it, the connection is closed unread. */
export const DEFAULT_MAX_DISCARD_BYTES = 64 * 1024 * 1024;

/**
 * Reads and throws away what is left of a request body the app answered without reading (a 401
 * before the body, a 413 part-way through it), up to `maxBytes`. Resolves `true` once the body
 * has ended, `false` when it ran past the bound or the client went away.
 *
 * Why: answering and closing while the client is still uploading makes the kernel reset the
 * connection, and Node's `fetch` then reports "other side closed" / EPIPE instead of the status.
 * Once the body is drained the answer can be sent with `Connection: close` and read in full.
 */
export function discardUnreadBody(incoming: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (incoming.complete) return Promise.resolve(true);
  if (incoming.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ended: boolean) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onGone).off("close", onGone);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onGone = () => finish(incoming.complete);
    // The app's body stream (a web stream over `incoming`) may still listen and pause the flow
    // when its own buffer fills; nobody reads it any more, so take the data away from it.
    incoming.removeAllListeners("data");
    incoming.on("data", onData).on("end", onEnd).on("error", onGone).on("close", onGone);
    incoming.resume();
  });
}
