import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { envelope } from "./api-error.js";

/** Options of {@link serveConsole}. */
export interface ConsoleOptions {
  /** The console's built assets: `consoleAssetsDir` from `@zart/console`. */
  assetsDir: string;
  /**
   * Where the console finds the HTTP API, as the browser sees it: `"/"` when the API is mounted at
   * the root of the same origin (default), `"/zart"` when it is mounted under `/zart`.
   */
  apiBase?: string;
}

/**
 * Nothing but the console's own files runs or loads: payloads that carry HTML or script stay text,
 * and a page elsewhere cannot frame the console.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The operator console (a static single-page app) as a Hono app: `index.html` at `/` and the hashed
 * bundles under `/assets/`. Mount it where operators open it (`parent.route("/", serveConsole(...))`
 * or `parent.route("/ops", ...)`). It calls the HTTP API with the bearer token the operator types
 * in, as a header only (no cookie), so mounting it grants nothing by itself.
 * @throws Error when `assetsDir` holds no built console.
 */
export function serveConsole(options: ConsoleOptions): Hono {
  const indexPath = join(options.assetsDir, "index.html");
  if (!existsSync(indexPath))
    throw new Error(`No built console in ${options.assetsDir}: run \`pnpm --filter @zart/console build\`.`);
  const index = readFileSync(indexPath, "utf8").replace(
    "</head>",
    `<meta name="zart-api-base" content="${escapeAttribute(options.apiBase ?? "/")}"></head>`,
  );
  const assetsDir = join(options.assetsDir, "assets");
  const assets = new Set(existsSync(assetsDir) ? readdirSync(assetsDir) : []);

  const app = new Hono();
  app.get("/", (c) => {
    c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    // The build links its bundles as `./assets/…`; where the app is mounted decides what that means.
    const mountedAt = escapeAttribute(c.req.path.replace(/\/+$/, ""));
    return c.html(index.replaceAll('"./assets/', `"${mountedAt}/assets/`));
  });
  const serveAsset = serveStatic({
    root: assetsDir,
    rewriteRequestPath: (_, c) => `/${c.req.param("file")}`,
  });
  app.get("/assets/:file", async (c, next) => {
    // Only the files the build wrote: no path the request makes up reaches the file system.
    if (!assets.has(c.req.param("file"))) return c.json(envelope("NOT_FOUND", "No such console file."), 404);
    // Vite names bundles by content hash, so a name never changes meaning.
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    c.header("X-Content-Type-Options", "nosniff");
    return serveAsset(c, next);
  });
  return app;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
