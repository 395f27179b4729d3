import { consoleAssetsDir } from "@zart/console";
import type { Scheduler } from "@zart/core";
import { createZartApp, serveConsole } from "@zart/server";
import { Hono } from "hono";

declare const scheduler: Scheduler;
const token = process.env.ZART_API_TOKEN ?? false;

// #region mount
const app = new Hono();
// The API under /zart, the console under /ops, calling the API at /zart.
app.route("/zart", createZartApp({ scheduler, token }));
app.route(
  "/ops",
  serveConsole({ assetsDir: consoleAssetsDir, apiBase: "/zart" }),
);
// #endregion mount

// #region together
// Or both from one app, the console at "/":
const both = createZartApp({
  scheduler,
  token,
  console: { assetsDir: consoleAssetsDir },
});

// #endregion together

export { app, both };
