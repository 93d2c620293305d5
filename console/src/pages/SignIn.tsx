/** Sign in with a token: an actor token for one's own work, the admin or an operator token to run things. */
import { useState, type FormEvent } from "react";
import { useLocation, useNavigate } from "react-router";
import { ApiError } from "../api/client.js";
import { useSession } from "../session.js";

export function SignIn() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  // A link followed before signing in (a task sent by mail) opens once signed in.
  const location = useLocation();
  const wanted = location.pathname === "/" ? null : location.pathname + location.search;
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(token);
      navigate(wanted ?? (session.kind === "actor" ? "/inbox" : "/instances"), { replace: true });
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? "This token is not accepted: it is unknown or was revoked. Ask your operator for a new one."
          : `Could not sign in: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>Chameleon</h1>
      <form onSubmit={submit}>
        <label htmlFor="token">Token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby={error === null ? "token-help" : "token-error"}
          required
        />
        <p id="token-help" className="help">
          An actor token (chm_…) shows your inbox; the admin or an operator token shows what runs.
        </p>
        {error !== null && (
          <p id="token-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ""}>
          Sign in
        </button>
      </form>
    </main>
  );
}
