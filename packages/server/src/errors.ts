import { ZartError } from "@zart/core";

/**
 * {@link startServer} refused to listen on a non-loopback address without an API token: anyone on
 * the network could start, signal and cancel executions. Set a token or bind to `127.0.0.1`.
 */
export class InsecureBindError extends ZartError {
  constructor(readonly host: string) {
    super(
      "INSECURE_BIND",
      `Refusing to listen on ${host} without an API token: anyone who can reach it could start, signal and cancel executions. ` +
        "Set a token (--token or ZART_API_TOKEN) or listen on 127.0.0.1.",
      { details: { host } },
    );
  }
}
