import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type Http2Bindings, type HttpBindings } from "@hono/node-server";
import { consoleLogger } from "@zart/core";
import { createZartApp, type ZartAppOptions } from "./app.js";
import { InsecureBindError } from "./errors.js";
import { isLoopbackHost } from "./loopback.js";
import { resolveToken } from "./token.js";
import { DEFAULT_MAX_DISCARD_BYTES, discardUnreadBody } from "./unread-body.js";

/** Options of {@link startServer}: those of {@link createZartApp} plus where to listen. */
export interface ServerOptions extends Omit<ZartAppOptions, "shutdown"> {
  /** TCP port; `0` picks a free one (read it from `url`). Default 3000. */
  port?: number;
  /**
   * Interface to listen on. Default `127.0.0.1`. Anything but loopback (`127.0.0.1`, `::1`,
   * `localhost`) needs a token, else {@link InsecureBindError} is thrown before binding.
   */
  host?: string;
  /**
   * How much of an unread request body (an oversized or unauthorised upload) is read and thrown
   * away so the client can read the answer; past it the connection is closed at once. The answer
   * to such a request always carries `Connection: close`. Default 64 MiB.
   */
  maxDiscardBytes?: number;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  host: string;
  /** The Node server, for advanced use. */
  server: Server;
  /** Stops listening, ends pending long polls, closes connections. Idempotent. Does not close the store. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP API on its own Node HTTP server. Resolves once it listens.
 * @throws InsecureBindError when `host` is not loopback and no token is configured.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 3000;
  const token = resolveToken(options.token);
  if (!token && !isLoopbackHost(host)) throw new InsecureBindError(host);
  const shutdown = new AbortController();
  const logger = options.logger ?? consoleLogger;
  const app = createZartApp({ ...options, token: token ?? false, logger, shutdown: shutdown.signal });
  const maxDiscard = options.maxDiscardBytes ?? DEFAULT_MAX_DISCARD_BYTES;
  const fetch = async (request: Request, env: HttpBindings | Http2Bindings) => {
    const response = await app.fetch(request, env);
    const incoming = env.incoming as IncomingMessage; // createServer below speaks HTTP/1.1
    if (incoming.complete) return response;
    await discardUnreadBody(incoming, maxDiscard);
    const headers = new Headers(response.headers);
    headers.set("Connection", "close");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  const listener = getRequestListener(fetch, {
    errorHandler: (error) => {
      logger.warn({ error: String(error) }, "rejected a request the server could not read");
      return Response.json(
        { error: { code: "BAD_REQUEST", message: "The request could not be read." } },
        { status: 400 },
      );
    },
  });
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort(new Error("The server is shutting down."));
        // Keep-alive connections become idle once their answer is written: close them as they do,
        // and every connection after a grace period.
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
