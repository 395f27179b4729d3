import pg from "pg";

/**
 * A real pool whose chosen statements succeed on the server but then report a dropped
 * connection to the caller: the "commit outcome unknown" case, made deterministic. `every(name)`
 * says which executions of a named statement fault: every nth one (undefined: never).
 */
export class FlakyPool extends pg.Pool {
  readonly faults = new Map<string, number>();
  readonly #counts = new Map<string, number>();
  readonly #every: (name: string) => number | undefined;

  constructor(config: pg.PoolConfig, every: (name: string) => number | undefined) {
    super(config);
    this.#every = every;
  }

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    const name = (args[0] as { name?: unknown } | undefined)?.name;
    const every = typeof name === "string" ? this.#every(name) : undefined;
    if (name === undefined || every === undefined || !(result instanceof Promise)) return result as never;
    const count = (this.#counts.get(name as string) ?? 0) + 1;
    this.#counts.set(name as string, count);
    if (count % every !== 0) return result as never;
    return result.then(() => {
      this.faults.set(name as string, (this.faults.get(name as string) ?? 0) + 1);
      throw new Error("Connection terminated unexpectedly");
    }) as never;
  }
}
