/** The pages, by who is signed in: sign-in first; actors get their inbox, operators the instances. */
import { Navigate, Route, Routes } from "react-router";
import { Layout } from "./components/Layout.js";
import { Inbox } from "./pages/Inbox.js";
import { Actors } from "./pages/Actors.js";
import { Blueprints } from "./pages/Blueprints.js";
import { Instance } from "./pages/Instance.js";
import { Instances } from "./pages/Instances.js";
import { Overview } from "./pages/Overview.js";
import { SignIn } from "./pages/SignIn.js";
import { Task } from "./pages/Task.js";
import { Units } from "./pages/Units.js";
import { useSession } from "./session.js";

export function App() {
  const { session, loading } = useSession();
  if (loading) return <p className="loading">Loading…</p>;
  if (session === null) return <SignIn />;
  const home = session.kind === "actor" ? "/inbox" : "/instances";
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Navigate to={home} replace />} />
        {session.kind === "actor" ? (
          <>
            <Route path="/inbox" element={<Inbox />} />
            <Route path="/work/:uow" element={<Task />} />
          </>
        ) : (
          <>
            <Route path="/instances" element={<Instances />} />
            <Route path="/blueprints" element={<Blueprints />} />
            <Route path="/instances/:id" element={<Instance />}>
              <Route index element={<Navigate to="overview" replace />} />
              <Route path="overview" element={<Overview />} />
              <Route path="units" element={<Units />} />
              <Route path="actors" element={<Actors />} />
            </Route>
            <Route path="/instances/:id/work/:uow" element={<Task />} />
          </>
        )}
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Layout>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no such page for this token.</p>
    </section>
  );
}
