/** The frame of every page: who is signed in, where to go, and signing out. */
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { useSession } from "../session.js";
import { Live } from "./Live.js";

export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const who =
    session?.actor != null
      ? `${session.actor.actorName} · ${session.actor.instanceName}`
      : `${session?.operator ?? ""} (${session?.kind === "viewer" ? "viewer" : "operator"})`;
  return (
    <>
      <header className="top">
        <span className="brand">Chameleon</span>
        <nav aria-label="Main">
          {session?.kind === "actor" ? (
            <NavLink to="/inbox">Inbox</NavLink>
          ) : (
            <>
              <NavLink to="/instances">Instances</NavLink>
              <NavLink to="/blueprints">Blueprints</NavLink>
            </>
          )}
        </nav>
        {session?.actor != null && <Live instance={session.actor.instanceId} />}
        <span className="who">{who}</span>
        <button type="button" className="quiet" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{children}</main>
    </>
  );
}
