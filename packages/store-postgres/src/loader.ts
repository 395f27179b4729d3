import { type StoreLoader, takeUrlParam } from "@zart/core/store";
import { PostgresScheduler } from "./postgres-scheduler.js";

/** Opens `postgres://…` / `postgresql://…`; `?schema=name` picks the schema (default `zart`). */
export const storeLoader: StoreLoader = {
  schemes: ["postgres", "postgresql"],
  open(url, options = {}) {
    const { url: connectionString, value: schema } = takeUrlParam(url.trim(), "schema");
    return new PostgresScheduler({
      connectionString,
      ...(schema ? { schema } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  },
};
