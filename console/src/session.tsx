/**
 * Who is signed in: the answer of GET /session for the kept token. Actors get the inbox and
 * task pages; operator tokens (admin or viewer) the instance, unit and blueprint pages.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { api, ApiError, unwrap } from "./api/client.js";
import type { components, paths } from "./api/schema.js";
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
  const hasToken = currentToken() !== null;
  const query = useQuery({ queryKey: ["session"], queryFn: fetchSession, enabled: hasToken, retry: false });
  const state: SessionState = {
    session: hasToken && query.data !== undefined ? query.data : null,
    loading: hasToken && query.isPending,
    async signIn(token) {
      keepToken(token.trim());
      try {
        const session = await fetchSession();
        queries.clear();
        queries.setQueryData(["session"], session);
        return session;
      } catch (error) {
        forgetToken();
        throw error;
      }
    },
    signOut() {
      forgetToken();
      queries.clear();
      window.location.assign("/ui/");
    },
  };
  if (query.error instanceof ApiError && query.error.status === 401) forgetToken();
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
