import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, TOKEN } from "./helpers.js";

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

const SEED = 20_250_131;
const REQUESTS = 2_500;
const BODY_LIMIT = 16 * 1024;
const rnd = prng(SEED);

const UNICODE = ["é", "ß", "日本", "🚀", "\u200b", "Ω", "ﬀ", "\u{10ffff}", "Ä", "👩‍👩‍👧"];
const CONTROL = ["\u0000", "\n", "\r", "\t", "\u001b", "\u007f", "\u0007"];

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_.~:@!$&'()*+,;=";

/** Random text; unicode is mixed in only with the default alphabet (headers must stay ASCII). */
function randomString(max: number, alphabet = ID_ALPHABET): string {
  const unicode = alphabet === ID_ALPHABET ? 0.15 : 0;
  let s = "";
  const length = rnd.int(max + 1);
  for (let i = 0; i < length; i++)
    s += rnd.next() < unicode ? rnd.pick(UNICODE) : alphabet[rnd.int(alphabet.length)];
  return s;
}

/** An id for a path: valid-looking (never started → 404), huge, unicode or with control characters. */
function pathId(): string {
  switch (rnd.int(5)) {
    case 0:
      return encodeURIComponent(`fz-${randomString(40)}` || "fz");
    case 1:
      return "i".repeat(256 + rnd.int(6_000));
    case 2:
      return encodeURIComponent(`fz${rnd.pick(CONTROL)}${randomString(10)}`);
    case 3:
      return encodeURIComponent(`fz-${rnd.pick(UNICODE)}${rnd.pick(UNICODE)}`);
    default:
      return `fz-%${rnd.pick(["ZZ", "E0%A4%A", "", "0", "C3"])}`;
  }
}

function randomJsonValue(depth = 0): unknown {
  switch (rnd.int(depth > 2 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return rnd.next() < 0.5;
    case 2:
      return rnd.pick([0, -1, 1e308, 3.14, 2 ** 53 + 1]);
    case 3:
      return randomString(20);
    case 4:
      return "s".repeat(rnd.int(300));
    case 5:
      return Array.from({ length: rnd.int(4) }, () => randomJsonValue(depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rnd.int(4) }, () => [randomString(8), randomJsonValue(depth + 1)]),
      );
  }
}

/** Text that is not JSON. */
function badJson(): string {
  return rnd.pick([
    "{",
    "}",
    "[1,",
    "{'a':1}",
    '{"a":}',
    "undefined",
    "NaN",
    "{a:1}",
    '{"task_name":"quick",}',
    "\u0000",
    "tru",
    '"unterminated',
    "01",
    "--",
    `{"x":${"[".repeat(50)}`,
    randomString(30, "{}[]:,\"'\\ abc123"),
  ]);
}

/** A start body with at least one thing surely wrong. */
function badStartBody(): unknown {
  const ok: Record<string, unknown> = { task_name: "quick", data: { n: 1 } };
  switch (rnd.int(8)) {
    case 0:
      return { data: randomJsonValue() }; // missing task_name
    case 1:
      return { ...ok, task_name: rnd.pick([1, null, true, [], {}, "", "t".repeat(256), "a\u0001b"]) };
    case 2:
      return { ...ok, execution_id: rnd.pick([1, null, false, [], "", "e".repeat(256), "x\ny"]) };
    case 3:
      return { ...ok, data: rnd.pick([{ n: "1" }, {}, null, [1], "n", { n: null }]) }; // fails quick's schema
    case 4:
      return { ...ok, run_at: rnd.pick(["tomorrow", 123, "2025-13-45", "", null]) };
    case 5:
      return { ...ok, [rnd.pick(["taskName", "executionId", "extra", "runAt"])]: randomJsonValue() };
    case 6:
      return { ...ok, task_name: `unknown-${randomString(10)}` }; // not registered
    default:
      return rnd.pick([[], null, 42, "quick", true]);
  }
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const JSON_CT = { "content-type": "application/json" };

function fuzzRequest(): FuzzRequest {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const id = pathId();
  switch (rnd.int(13)) {
    case 0:
      return {
        method: "POST",
        path: "/api/v1/executions",
        headers: { ...auth, ...JSON_CT },
        body: badJson(),
      };
    case 1:
      return {
        method: "POST",
        path: "/api/v1/executions",
        headers: { ...auth, ...JSON_CT },
        body: JSON.stringify(badStartBody()),
      };
    case 2:
      return {
        method: "POST",
        path: `/api/v1/events/${id}/${pathId()}`,
        headers: { ...auth, ...JSON_CT },
        body: rnd.next() < 0.5 ? badJson() : JSON.stringify(randomJsonValue()),
      };
    case 3: {
      const path = rnd.pick([`/api/v1/events/${id}/go`, "/api/v1/executions"]);
      const contentType = rnd.pick([
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "json",
        "application/jsonx",
        randomString(12, "abcdef/;=+-"),
      ]);
      return {
        method: "POST",
        path,
        headers: { ...auth, "content-type": contentType },
        body: '{"task_name":"quick"}',
      };
    }
    case 4: {
      const routes: [string, string[]][] = [
        ["/api/v1/executions", ["PUT", "PATCH", "DELETE"]],
        [`/api/v1/executions/${id}`, ["POST", "PUT", "PATCH", "DELETE"]],
        [`/api/v1/executions/${id}/wait`, ["POST", "PUT", "DELETE"]],
        [`/api/v1/executions/${id}/cancel`, ["GET", "PUT", "DELETE", "PATCH"]],
        [`/api/v1/events/${id}/e`, ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]],
        ["/healthz", ["POST", "DELETE"]],
        ["/api/v1/openapi.json", ["POST", "PUT"]],
      ];
      const [path, methods] = rnd.pick(routes);
      return { method: rnd.pick(methods), path, headers: auth };
    }
    case 5:
      return { method: "GET", path: `/api/v1/executions/${id}`, headers: auth };
    case 6:
      return { method: "POST", path: `/api/v1/executions/${id}/cancel`, headers: auth };
    case 7: {
      const timeout = rnd.pick(["6m", "301s", "abc", "-1", "1h", "1e3", "5m1ms", "", "0", "10ms"]);
      return {
        method: "GET",
        path: `/api/v1/executions/${id}/wait?timeout=${encodeURIComponent(timeout)}`,
        headers: auth,
      };
    }
    case 8: {
      const bad = rnd.pick([
        "limit=0",
        "limit=1001",
        "limit=x",
        "limit=-5",
        "offset=-1",
        "offset=abc",
        "status=done",
        "status=",
        `task_name=${"t".repeat(300)}`,
        "limit=1&limit=2",
        "task_name=",
      ]);
      return {
        method: "GET",
        path: `/api/v1/executions?${bad}&${randomString(8)}=${randomString(8)}`,
        headers: auth,
      };
    }
    case 9:
      return {
        method: rnd.pick(["GET", "POST"]),
        path: `/api/v1/${randomString(20, "abcxyz/-_")}${rnd.pick(["", "/", "//", "/.."])}`,
        headers: auth,
      };
    case 10:
      return {
        method: rnd.pick(["GET", "POST"]),
        path: rnd.pick(["/api/v1/executions", `/api/v1/executions/${id}`, `/api/v1/events/${id}/e`]),
        headers: rnd.pick([
          {},
          { authorization: `Bearer ${TOKEN}x` },
          { authorization: `Bearer ${randomString(30, "abcdefXYZ0123456789-._~+/=")}` },
          { authorization: "Basic Zm9vOmJhcg==" },
          { authorization: "Bearer" },
        ]) as Record<string, string>,
        body: undefined,
      };
    case 11:
      return {
        method: "POST",
        path: rnd.pick([`/api/v1/events/${id}/e`, "/api/v1/executions"]),
        headers: { ...auth, ...JSON_CT },
        body: JSON.stringify({ blob: "x".repeat(BODY_LIMIT + rnd.int(50_000)) }),
      };
    default: {
      const headers: Record<string, string> = { ...auth, ...JSON_CT };
      for (let i = 0; i < 1 + rnd.int(5); i++) {
        headers[`x-${randomString(10, "abcdefghij")}` || "x-h"] = randomString(40, "abc123 !#$%&'*+-.^_`|~");
      }
      if (rnd.next() < 0.3) headers["idempotency-key"] = "k".repeat(256);
      return {
        method: "POST",
        path: rnd.pick(["/api/v1/executions", `/api/v1/events/${id}/e`]),
        headers,
        body: rnd.next() < 0.5 ? badJson() : JSON.stringify(badStartBody()),
      };
    }
  }
}

let h: Harness;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
beforeAll(async () => {
  h = await startHarness({ bodyLimit: BODY_LIMIT });
});
afterAll(async () => {
  agent.destroy();
  await h.close();
});

/** Percent-encodes what Node refuses to put on a request line (the server decodes it back). */
function escapePath(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function send(url: URL, req: FuzzRequest): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: escapePath(req.path),
        headers: req.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(req.body);
  });
}

describe("fuzz", () => {
  it(`answers ${REQUESTS} malformed requests with a 4xx and the error envelope, and stays up`, async () => {
    const url = new URL(h.server.url);
    const requests = Array.from({ length: REQUESTS }, fuzzRequest);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < requests.length; i += 16) {
      const batch = requests.slice(i, i + 16);
      const answers = await Promise.all(batch.map((req) => send(url, req)));
      answers.forEach((answer, j) => {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const req = batch[j] as FuzzRequest;
        const where = `#${i + j} ${req.method} ${req.path.slice(0, 80)} → ${answer.status} ${answer.body.slice(0, 120)}`;
        let ok =
          answer.status >= 400 && answer.status < 500 && answer.contentType.startsWith("application/json");
        try {
          const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
          ok &&= typeof parsed.error?.code === "string" && typeof parsed.error.message === "string";
        } catch {
          ok = false;
        }
        ok &&= !/\bat .+:\d+:\d+/.test(answer.body) && !answer.body.includes('"stack"');
        if (!ok) failures.push(where);
      });
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // Every class of malformed request was exercised.
    for (const status of [400, 401, 404, 405, 413, 415]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    expect(h.logger.lines.filter((l) => l.level === "error")).toEqual([]);
    const health = await fetch(`${h.server.url}/healthz`);
    expect(health.status).toBe(200);
    const list = await fetch(`${h.server.url}/api/v1/executions`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await list.json()) as { executions: unknown[] }).executions).toEqual([]);
  });
});
