import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { API_TYPES_PATH, renderApiTypes } from "../scripts/api-types.js";

it("the console's API types match the OpenAPI document the server serves (else: pnpm --filter @zart/console generate)", async () => {
  expect(await readFile(API_TYPES_PATH, "utf8")).toBe(await renderApiTypes());
});
