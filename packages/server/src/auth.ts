import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./api-error.js";

/**
 * Bearer-token authentication. Both tokens are hashed with SHA-256 first, so the comparison is
 * constant-time (`timingSafeEqual` on equal-length digests) and leaks neither the token nor its
 * length. A missing or wrong token is a `401 UNAUTHORIZED` with `WWW-Authenticate: Bearer`.
 */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      c.header("WWW-Authenticate", 'Bearer realm="zart"');
      const message = match
        ? "The bearer token is wrong."
        : "This API needs a bearer token: send `Authorization: Bearer <token>`.";
      throw new ApiError(401, "UNAUTHORIZED", message);
    }
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
