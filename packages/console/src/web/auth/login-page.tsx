import { useState } from "preact/hooks";

/**
 * Asks for the API token. `check` tries it against the API; only a token the server accepts is
 * kept. `rejected` says why the form shows (a stored token the server refused).
 */
export function LoginPage({
  rejected,
  check,
}: {
  rejected: boolean;
  check: (token: string) => Promise<"ok" | "rejected" | string>;
}) {
  const [token, setToken] = useState("");
  const [error, setError] = useState(rejected ? "The server rejected the token; sign in again." : "");
  const [busy, setBusy] = useState(false);
  return (
    <main class="login">
      <h1>Zart console</h1>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          const outcome = await check(token.trim());
          setBusy(false);
          if (outcome === "rejected") setError("The server rejected this token.");
          else if (outcome !== "ok") setError(outcome);
        }}
      >
        <p>
          This server needs its API token (<code>ZART_API_TOKEN</code> or <code>zart serve --token</code>). It
          is kept in this tab only and sent as a header, never as a cookie.
        </p>
        <label>
          API token
          <input
            type="password"
            autocomplete="current-password"
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
            required
          />
        </label>
        {error ? (
          <p class="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy || !token.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}
