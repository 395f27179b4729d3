import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "./support/browser.js";
import {
  BROWSER_TEST_MS,
  type ConsoleHarness,
  startConsoleHarness,
  TOKEN,
} from "./support/console-harness.js";

describe.runIf(browserAvailable)("console: the API token", { timeout: BROWSER_TEST_MS }, () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await startConsoleHarness();
    await harness.start("secret-1", "quick", null);
  });
  afterAll(() => harness?.close());

  it("asks for the token, refuses a wrong one, and sends the right one as a header only", async () => {
    const page = await harness.open("#/", { signedIn: false });
    const authorization: (string | undefined)[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/v1/")) authorization.push(request.headers().authorization);
    });

    const token = page.getByLabel("API token");
    await token.waitFor();
    expect(await page.getByText("secret-1").count()).toBe(0);

    await token.fill("wrong-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The server rejected this token." }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("zart-console-token"))).toBeNull();

    await token.fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "secret-1" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("zart-console-token"))).toBe(TOKEN);
    expect(await page.context().cookies()).toEqual([]);
    expect(authorization).toContain(`Bearer ${TOKEN}`);
    expect(authorization).toContain("Bearer wrong-token");

    await page.getByRole("button", { name: "Sign out" }).click();
    await token.waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("zart-console-token"))).toBeNull();
  });

  it("drops a stored token the server refuses and asks again", async () => {
    const page = await harness.open("#/executions/secret-1", { signedIn: false });
    await page.getByLabel("API token").waitFor();
    await page.evaluate(() => sessionStorage.setItem("zart-console-token", "stale-token"));
    await page.reload();
    await page
      .getByRole("alert")
      .filter({ hasText: "The server rejected the token; sign in again." })
      .waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("zart-console-token"))).toBeNull();
  });

  it("serves the page itself without a token, but no data", async () => {
    const page = await fetch(`${harness.server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("secret-1");
    expect((await fetch(`${harness.server.url}/api/v1/executions`)).status).toBe(401);
  });
});
