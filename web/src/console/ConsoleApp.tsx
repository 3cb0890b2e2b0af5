// /console: the admin console. Only admins get past the first request (the console API answers 401/403 to
// everyone else); the views below use Better Auth's admin and organization endpoints like any client.
import { useEffect, useRef, useState } from "preact/hooks";
import { authPost, consoleGet, getSession, type SessionWithUser } from "../api";
import type { PageConfig } from "../config";
import { goTo, pageHref } from "../navigation";
import { Dashboard, type Stats } from "./Dashboard";
import { Organizations } from "./Organizations";
import { OrganizationDetail } from "./OrganizationDetail";
import { UserDetail } from "./UserDetail";
import { Users } from "./Users";
import { linkHandler, useLocation } from "./router";

type Access = { kind: "checking" } | { kind: "denied"; message: string } | { kind: "ok"; session: SessionWithUser; stats: Stats };

export function ConsoleApp(props: { config: PageConfig }) {
  const { config } = props;
  const [access, setAccess] = useState<Access>({ kind: "checking" });
  const here = window.location.pathname + window.location.search;

  useEffect(() => {
    (async () => {
      const { data: session } = await getSession();
      if (!session) return goTo(pageHref("/sign-in", here));
      const { data, error } = await consoleGet<Stats>("/stats");
      if (error) {
        return setAccess({
          kind: "denied",
          message: error.status === 403 || error.status === 404 ? "The admin console is for administrators. Your account does not have the admin role." : error.message,
        });
      }
      setAccess({ kind: "ok", session, stats: data });
    })();
  }, []);

  if (access.kind === "checking") return <main class="console-loading"><p aria-busy="true">Loading the console…</p></main>;
  if (access.kind === "denied") {
    return (
      <main class="auth-shell">
        <div class="card">
          <h1>Admin console</h1>
          <p class="alert alert-error" role="alert">{access.message}</p>
          <a class="button secondary" href="/sign-in">Back</a>
        </div>
      </main>
    );
  }
  return <ConsoleLayout config={config} session={access.session} stats={access.stats} />;
}

function ConsoleLayout(props: { config: PageConfig; session: SessionWithUser; stats: Stats }) {
  const { config, session } = props;
  const { path } = useLocation();
  const heading = useRef<HTMLDivElement>(null);
  const route = path.replace(/\/+$/, "") || "/console";

  // Move focus to the new view after client-side navigation, as a page load would.
  useEffect(() => {
    heading.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route]);

  const signOut = async () => {
    await authPost("/sign-out");
    goTo("/sign-in");
  };

  const nav = [
    { href: "/console", label: "Dashboard", active: route === "/console" },
    { href: "/console/users", label: "Users", active: route.startsWith("/console/users") },
    ...(config.features.organization
      ? [{ href: "/console/organizations", label: "Organizations", active: route.startsWith("/console/organizations") }]
      : []),
  ];

  let view;
  const userMatch = /^\/console\/users\/([^/]+)$/.exec(route);
  const orgMatch = /^\/console\/organizations\/([^/]+)$/.exec(route);
  if (route === "/console") view = <Dashboard initial={props.stats} />;
  else if (route === "/console/users") view = <Users />;
  else if (userMatch) view = <UserDetail userId={decodeURIComponent(userMatch[1])} currentUserId={session.user.id} passkeys={config.features.passkey} />;
  else if (route === "/console/organizations" && config.features.organization) view = <Organizations />;
  else if (orgMatch && config.features.organization) view = <OrganizationDetail organizationId={decodeURIComponent(orgMatch[1])} />;
  else view = <section><h1 tabIndex={-1}>Not found</h1><p>There is no such page in the console.</p></section>;

  return (
    <div class="console">
      <a class="skip-link" href="#console-main">Skip to content</a>
      <header class="console-header">
        <span class="console-brand">{config.appName} · Admin</span>
        <nav aria-label="Console">
          <ul>
            {nav.map((item) => (
              <li key={item.href}>
                <a href={item.href} onClick={linkHandler} aria-current={item.active ? "page" : undefined}>{item.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="console-user">
          <span>{session.user.email}</span>
          <button type="button" class="button small secondary" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="console-main" class="console-main" ref={heading}>{view}</main>
    </div>
  );
}
