import { type Scheduler, TaskRegistry } from "@zart/core";
import { createZartApp, startServer } from "@zart/server";
import { Hono } from "hono";
import { sendInvoice } from "./tasks.js";

declare const scheduler: Scheduler;
const registry = new TaskRegistry().register(sendInvoice);

// #region standalone
const server = await startServer({
  scheduler,
  registry,
  port: 3000,
  host: "127.0.0.1",
});
console.log(`listening on ${server.url}`);
// On shutdown: stops listening and ends pending long polls; the store stays
// open.
await server.close();
// #endregion standalone

// #region mounted
const app = new Hono();
app.get("/", (c) => c.text("my app"));
app.route(
  "/",
  createZartApp({
    scheduler,
    registry,
    token: process.env.ZART_API_TOKEN ?? false,
  }),
);
// serve it with @hono/node-server, Bun, Deno, or any Fetch API server
export default app;
// #endregion mounted
