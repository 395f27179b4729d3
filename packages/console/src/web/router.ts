import { useEffect, useState } from "preact/hooks";

/**
 * Hash routes (`#/`, `#/executions/<id>[?run=N]`, `#/workers`, `#/pause-rules`, `#/queues`,
 * `#/schedules`): the server serves one page wherever the console is mounted, and every view has
 * a link an operator can share.
 */
export type Route =
  | { page: "executions"; query: URLSearchParams }
  | { page: "execution"; executionId: string; run?: number }
  | { page: "workers" }
  | { page: "pause-rules" }
  | { page: "queues" }
  | { page: "schedules" }
  | { page: "not-found"; path: string };

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2);
  if (path === "" || path === "/") return { page: "executions", query: new URLSearchParams(search) };
  if (path === "/workers") return { page: "workers" };
  if (path === "/pause-rules") return { page: "pause-rules" };
  if (path === "/queues") return { page: "queues" };
  if (path === "/schedules") return { page: "schedules" };
  const execution = /^\/executions\/(.+)$/.exec(path);
  if (execution?.[1]) {
    const run = Number(new URLSearchParams(search).get("run"));
    try {
      return {
        page: "execution",
        executionId: decodeURIComponent(execution[1]),
        ...(Number.isSafeInteger(run) && run >= 1 ? { run } : {}),
      };
    } catch {
      // A malformed escape is not an id: fall through to "not found".
    }
  }
  return { page: "not-found", path };
}

export const executionsHref = (query?: URLSearchParams): string => {
  const search = query?.toString();
  return search ? `#/?${search}` : "#/";
};

/** An execution's detail; with `run`, that run of the id (an earlier one stays readable). */
export const executionHref = (executionId: string, run?: number): string =>
  `#/executions/${encodeURIComponent(executionId)}${run === undefined ? "" : `?run=${run}`}`;

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return parseRoute(hash);
}
