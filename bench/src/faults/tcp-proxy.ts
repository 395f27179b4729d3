import net from "node:net";

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

/**
 * A loopback TCP proxy the test controls, to put a network partition between one worker and its
 * store. `blackHole()` stops moving bytes both ways without closing anything (the sockets stop
 * being read, so data waits in kernel buffers as it would in TCP retransmissions: calls hang, and a
 * write sent before the cut may still arrive late); `heal()` lets the held bytes through;
 * `reset()` destroys every connection (what a long partition ends in once TCP gives up).
 */
export class TcpProxy {
  readonly #server: net.Server;
  readonly #pairs = new Set<Pair>();
  #blackHoled = false;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  /** Listens on an ephemeral loopback port, forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = net.createServer((client) => proxy.#accept(client, target));
    proxy = new TcpProxy(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Connections open through the proxy now. */
  get connections(): number {
    return this.#pairs.size;
  }

  blackHole(): void {
    this.#blackHoled = true;
    for (const { client, upstream } of this.#pairs) {
      client.pause();
      upstream.pause();
    }
  }

  heal(): void {
    this.#blackHoled = false;
    for (const { client, upstream } of this.#pairs) {
      client.resume();
      upstream.resume();
    }
  }

  /** Heals and drops every connection at once (clients see ECONNRESET and reconnect). */
  reset(): void {
    this.#blackHoled = false;
    for (const { client, upstream } of this.#pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.#pairs.clear();
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket, target: { host: string; port: number }): void {
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    this.#pairs.add(pair);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => client.write(chunk));
    const drop = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on("error", drop);
      socket.on("close", drop);
    }
    if (this.#blackHoled) {
      client.pause();
      upstream.pause();
    }
  }
}
