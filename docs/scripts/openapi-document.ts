import { silentLogger } from "@zart/core";
import { createZartApp, OPENAPI_PATH } from "@zart/server";
import { MemoryScheduler } from "@zart/store-memory";

/** The OpenAPI document exactly as a running server answers `GET /api/v1/openapi.json`. */
export async function openApiDocument(): Promise<unknown> {
  const scheduler = new MemoryScheduler();
  try {
    const app = createZartApp({ scheduler, token: false, logger: silentLogger });
    const response = await app.request(OPENAPI_PATH);
    if (!response.ok) throw new Error(`${OPENAPI_PATH} answered ${response.status}`);
    return await response.json();
  } finally {
    await scheduler.close();
  }
}
