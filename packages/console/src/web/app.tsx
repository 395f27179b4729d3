import { useMemo, useState } from "preact/hooks";
import { ApiFailure, apiBaseUrl, createApiClient, unwrap } from "./api/client.js";
import { LoginPage } from "./auth/login-page.js";
import { tokenStore } from "./auth/token-store.js";
import { ExecutionDetailPage } from "./executions/detail-page.js";
import { ExecutionListPage } from "./executions/list-page.js";
import { NAV_PAGES } from "./nav.js";
import { PauseRulesPage } from "./pause-rules/pause-rules-page.js";
import { QueuesPage } from "./queues/queues-page.js";
import { useRoute } from "./router.js";
import { SchedulesPage } from "./schedules/schedules-page.js";
import { WorkersPage } from "./workers/workers-page.js";

/**
 * Signed in means the API answers; a 401 from any request (no token, a wrong one, a rotated one)
 * drops the stored token and shows the login form.
 */
type Session = "open" | "needs-token" | "token-rejected";

export function App() {
  const [session, setSession] = useState<Session>("open");
  const api = useMemo(
    () =>
      createApiClient({
        baseUrl: apiBaseUrl(),
        token: tokenStore.get,
        onUnauthorized: () => {
          const hadToken = tokenStore.get() !== null;
          tokenStore.clear();
          setSession(hadToken ? "token-rejected" : "needs-token");
        },
      }),
    [],
  );
  const route = useRoute();

  if (session !== "open") {
    const check = async (token: string) => {
      tokenStore.set(token);
      try {
        await unwrap(api.GET("/api/v1/executions", { params: { query: { limit: 1 } } }));
        setSession("open");
        return "ok";
      } catch (error) {
        tokenStore.clear();
        return error instanceof ApiFailure && error.status === 401 ? "rejected" : String(error);
      }
    };
    return <LoginPage rejected={session === "token-rejected"} check={check} />;
  }

  return (
    <>
      <header class="topbar">
        <strong>Zart</strong>
        <nav>
          {NAV_PAGES.map((page) => (
            <a key={page.href} href={page.href}>
              {page.label}
            </a>
          ))}
        </nav>
        {tokenStore.get() !== null ? (
          <button
            type="button"
            onClick={() => {
              tokenStore.clear();
              setSession("needs-token");
            }}
          >
            Sign out
          </button>
        ) : null}
      </header>
      <main class="content">
        {route.page === "executions" ? <ExecutionListPage api={api} query={route.query} /> : null}
        {route.page === "execution" ? (
          <ExecutionDetailPage
            key={`${route.executionId}?run=${route.run ?? ""}`}
            api={api}
            executionId={route.executionId}
            {...(route.run === undefined ? {} : { run: route.run })}
          />
        ) : null}
        {route.page === "workers" ? <WorkersPage api={api} /> : null}
        {route.page === "pause-rules" ? <PauseRulesPage api={api} /> : null}
        {route.page === "queues" ? <QueuesPage api={api} /> : null}
        {route.page === "schedules" ? <SchedulesPage api={api} /> : null}
        {route.page === "not-found" ? (
          <p>
            Nothing at <code>{route.path}</code>. <a href="#/">Executions</a>
          </p>
        ) : null}
      </main>
    </>
  );
}
