import { createZartApp, serveConsole } from "@zart/server";
import { MemoryScheduler } from "@zart/store-memory";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConsole } from "./support/build-console.js";

/** The script and stylesheet links of the page. */
const bundleLinks = (html: string): string[] =>
  [...html.matchAll(/(?:src|href)="([^"]*\/assets\/[^"]+)"/g)].map((match) => match[1] ?? "");

describe("serveConsole", () => {
  let assetsDir: string;
  const scheduler = new MemoryScheduler();
  beforeAll(async () => {
    assetsDir = await buildConsole();
  });
  afterAll(() => scheduler.close());

  it("serves the page with a policy that lets only its own bundles run, and the bundles it links", async () => {
    const app = createZartApp({ scheduler, token: "t0k3n-for-the-console-test", console: { assetsDir } });
    const page = await app.request("/");
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await page.text();
    expect(html).toContain('<meta name="zart-api-base" content="/">');

    const links = bundleLinks(html);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) {
      const asset = await app.request(link);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toContain("immutable");
    }
  });

  it("serves nothing but the built files", async () => {
    const app = createZartApp({ scheduler, token: false, console: { assetsDir } });
    for (const path of [
      "/assets/missing.js",
      "/assets/..%2Findex.html",
      "/assets/%2e%2e%2f%2e%2e%2fpackage.json",
      "/index.html",
    ]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it("mounts under a prefix of a user's app, pointing at the API wherever it lives", async () => {
    const parent = new Hono();
    parent.route("/zart", createZartApp({ scheduler, token: false }));
    parent.route("/ops", serveConsole({ assetsDir, apiBase: "/zart" }));
    const html = await (await parent.request("/ops")).text();
    expect(html).toContain('<meta name="zart-api-base" content="/zart">');
    const links = bundleLinks(html);
    expect(links.every((link) => link.startsWith("/ops/assets/"))).toBe(true);
    for (const link of links) expect((await parent.request(link)).status).toBe(200);
    expect((await parent.request("/zart/api/v1/executions")).status).toBe(200);
  });

  it("escapes the API base it writes into the page", async () => {
    const app = serveConsole({ assetsDir, apiBase: '/"><script>alert(1)</script>' });
    const html = await (await app.request("/")).text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("refuses a directory that holds no built console", () => {
    expect(() => serveConsole({ assetsDir: "/nonexistent" })).toThrow(/No built console/);
  });
});
