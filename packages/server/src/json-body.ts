import type { MiddlewareHandler } from "hono";
import { ApiError } from "./api-error.js";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * For routes that take a body: the request must say `Content-Type: application/json` (or
 * `…+json`), else `415 UNSUPPORTED_MEDIA_TYPE`; the body must be well-formed JSON, else
 * `400 INVALID_JSON` (an empty body is not JSON: send `null` for "no payload"). The parsed body is
 * cached by Hono for the route's zod validator. Runs after the body-size limit.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header("content-type");
  const mediaType = contentType?.split(";")[0]?.trim() ?? "";
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      contentType
        ? `The body is ${mediaType || "of no media type"}; this API takes only application/json.`
        : "The request has no Content-Type; send the body as JSON with `Content-Type: application/json`.",
    );
  }
  const text = await c.req.text();
  if (text.trim() === "") {
    throw new ApiError(400, "INVALID_JSON", "The body is empty; send a JSON value (`null` for none).");
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "INVALID_JSON", `The body is not valid JSON: ${(error as Error).message}`);
  }
  await next();
};
