/**
 * Who is signed in: the answer of GET /session for the kept token. Actors get the inbox and
 * task pages; operator tokens (admin or viewer) the instance, unit and blueprint pages.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { api, unwrap } from "./api/client.js";
import type { paths } from "./api/schema.js";
import { currentToken, forgetToken, keepToken } from "./api/token.js";

export type Session = paths["/session"]["get"]["responses"]["200"]["content"]["application/json"];

interface SessionState {
  session: Session | null;
  loading: boolean;
  signIn(token: string): Promise<Session>;
  signOut(): void;
}

const SessionContext = createContext<SessionState | null>(null);

async function fetchSession(): Promise<Session> {
  return unwrap(await api.GET("/session"));
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(() => currentToken() !== null);

  // A reload keeps the tab's token: ask again who it is (a revoked token signs out).
  useEffect(() => {
    if (currentToken() === null) return;
    fetchSession()
      .then(setSession)
      .catch(() => forgetToken())
      .finally(() => setLoading(false));
  }, []);

  const state: SessionState = {
    session,
    loading,
    async signIn(token) {
      keepToken(token.trim());
      try {
        const who = await fetchSession();
        queries.clear();
        setSession(who);
        return who;
      } catch (error) {
        forgetToken();
        throw error;
      }
    },
    signOut() {
      forgetToken();
      queries.clear();
      setSession(null);
    },
  };
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === null) throw new Error("useSession outside SessionProvider");
  return state;
}

/** The signed-in actor (the inbox and task pages are only for actor tokens). */
export function useActor(): NonNullable<Session["actor"]> {
  const { session } = useSession();
  if (session?.actor == null) throw new Error("not signed in as an actor");
  return session.actor;
}
