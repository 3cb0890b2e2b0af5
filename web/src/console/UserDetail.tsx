// One user: details, the admin actions (ban, role, password, impersonate, sessions, removal) and the user's
// sessions. Every action is a Better Auth admin endpoint; the plugin decides whether the admin may do it.
import { useEffect, useState } from "preact/hooks";
import { authGet, authPost, consoleGet, consolePost, type SessionRow, type UserSummary } from "../api";
import type { PasskeyRow } from "../pages/Passkeys";
import { goTo } from "../navigation";
import { Field, Messages, onSubmit, useAction } from "../ui/components";
import { formatDate } from "./format";
import { linkHandler, navigate } from "./router";

export function UserDetail(props: { userId: string; currentUserId: string; passkeys: boolean }) {
  const { userId } = props;
  const [passkeys, setPasskeys] = useState<PasskeyRow[] | null>(null);
  const [user, setUser] = useState<UserSummary | null | undefined>(undefined);
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [banReason, setBanReason] = useState("");
  const [banDays, setBanDays] = useState("");
  const [role, setRole] = useState("user");
  const [password, setPassword] = useState("");
  const [confirmRemove, setConfirmRemove] = useState(false);
  const action = useAction();

  const load = async () => {
    const { data, error } = await authGet<{ users: UserSummary[] }>("/admin/list-users", { filterField: "id", filterValue: userId, filterOperator: "eq", limit: 1 });
    if (error) return action.setError(error.message);
    const found = data.users[0] ?? null;
    setUser(found);
    if (found) setRole(found.role ?? "user");
    const list = await authPost<{ sessions: SessionRow[] }>("/admin/list-user-sessions", { userId });
    setSessions(list.data?.sessions ?? []);
    if (props.passkeys) setPasskeys((await consoleGet<PasskeyRow[]>(`/users/${encodeURIComponent(userId)}/passkeys`)).data ?? []);
  };
  useEffect(() => {
    document.title = "User · Admin console";
    load();
  }, [userId]);

  /** Runs one admin call, then reloads the user and shows `done`. */
  const act = (path: string, body: Record<string, unknown>, done: string, after?: () => void) =>
    action.run(async () => {
      const { error } = await authPost(path, body);
      if (error) return error.message;
      if (after) return after();
      await load();
      action.setNotice(done);
    });

  if (user === undefined) return <section><h1 tabIndex={-1}>User</h1><p aria-busy="true">Loading…</p></section>;
  if (user === null) {
    return (
      <section>
        <h1 tabIndex={-1}>User not found</h1>
        <a href="/console/users" onClick={linkHandler}>Back to users</a>
      </section>
    );
  }
  const self = user.id === props.currentUserId;

  return (
    <section class="detail">
      <p><a href="/console/users" onClick={linkHandler}>← Users</a></p>
      <h1 tabIndex={-1}>{user.name || user.email}</h1>
      <dl class="facts">
        <dt>Email</dt><dd>{user.email} {user.emailVerified ? <span class="badge badge-ok">Verified</span> : <span class="badge">Unverified</span>}</dd>
        <dt>Role</dt><dd data-testid="user-role">{user.role ?? "—"}</dd>
        <dt>Status</dt>
        <dd data-testid="user-status">
          {user.banned
            ? <><span class="badge badge-danger">Banned</span> {user.banReason} {user.banExpires ? `(until ${formatDate(user.banExpires)})` : "(no end)"}</>
            : <span class="badge badge-ok">Active</span>}
        </dd>
        <dt>Created</dt><dd>{formatDate(user.createdAt)}</dd>
        <dt>User id</dt><dd><code>{user.id}</code></dd>
      </dl>
      <Messages error={action.error} notice={action.notice} />

      <div class="action-grid">
        {user.banned ? (
          <form class="panel" onSubmit={onSubmit(() => act("/admin/unban-user", { userId }, "The user is no longer banned."))}>
            <h2>Ban</h2>
            <p>This user cannot sign in.</p>
            <button type="submit" class="button secondary" disabled={action.busy}>Unban user</button>
          </form>
        ) : (
          <form class="panel" onSubmit={onSubmit(() => act("/admin/ban-user", {
            userId,
            banReason: banReason.trim() || undefined,
            banExpiresIn: banDays ? Math.round(Number(banDays) * 86400) : undefined,
          }, "The user is banned and signed out everywhere."))}>
            <h2>Ban</h2>
            <Field label="Reason (optional)" name="banReason" value={banReason} onValue={setBanReason} />
            <Field label="Days (empty: no end)" name="banDays" type="number" min="1" value={banDays} onValue={setBanDays} />
            <button type="submit" class="button danger" disabled={action.busy || self}>Ban user</button>
          </form>
        )}

        <form class="panel" onSubmit={onSubmit(() => act("/admin/set-role", { userId, role: role.trim() }, `The role is now ${role.trim()}.`))}>
          <h2>Role</h2>
          <Field label="Role" name="role" list="known-roles" required value={role} onValue={setRole} hint="Several roles are separated by commas." />
          <datalist id="known-roles"><option value="user" /><option value="admin" /></datalist>
          <button type="submit" class="button secondary" disabled={action.busy}>Set role</button>
        </form>

        <form class="panel" onSubmit={onSubmit(() => act("/admin/set-user-password", { userId, newPassword: password }, "The password was changed."))}>
          <h2>Password</h2>
          <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required value={password} onValue={setPassword} />
          <button type="submit" class="button secondary" disabled={action.busy}>Set password</button>
        </form>

        <div class="panel">
          <h2>Access</h2>
          <div class="stack">
            <button type="button" class="button secondary" disabled={action.busy || self}
              onClick={() => act("/admin/impersonate-user", { userId }, "", () => goTo("/sign-in"))}>Impersonate</button>
            <button type="button" class="button secondary" disabled={action.busy}
              onClick={() => act("/admin/revoke-user-sessions", { userId }, "Every session of this user was revoked.")}>Revoke all sessions</button>
            {!confirmRemove ? (
              <button type="button" class="button danger" disabled={action.busy || self} onClick={() => setConfirmRemove(true)}>Remove user…</button>
            ) : (
              <div class="confirm" role="group" aria-label="Confirm removal">
                <p>Remove {user.email} and all of their data? This cannot be undone.</p>
                <button type="button" class="button danger" disabled={action.busy}
                  onClick={() => act("/admin/remove-user", { userId }, "", () => navigate("/console/users"))}>Yes, remove</button>
                <button type="button" class="button secondary" onClick={() => setConfirmRemove(false)}>Cancel</button>
              </div>
            )}
          </div>
        </div>
      </div>

      <h2>Sessions</h2>
      <div class="table-wrap">
        <table class="data">
          <thead><tr><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">IP address</th><th scope="col">Browser</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {sessions?.map((s) => (
              <tr key={s.id}>
                <td>{formatDate(s.createdAt)}{s.impersonatedBy && <> <span class="badge badge-warning">Impersonation</span></>}</td>
                <td>{formatDate(s.expiresAt)}</td>
                <td>{s.ipAddress || "—"}</td>
                <td class="truncate" title={s.userAgent ?? ""}>{s.userAgent || "—"}</td>
                <td>
                  <button type="button" class="button small secondary" disabled={action.busy}
                    onClick={() => act("/admin/revoke-user-session", { sessionToken: s.token }, "The session was revoked.")}>Revoke</button>
                </td>
              </tr>
            ))}
            {sessions && sessions.length === 0 && <tr><td colSpan={5}>No active sessions.</td></tr>}
          </tbody>
        </table>
      </div>

      {props.passkeys && (
        <>
          <h2>Passkeys</h2>
          <div class="table-wrap">
            <table class="data" aria-label="Passkeys">
              <thead><tr><th scope="col">Name</th><th scope="col">Added</th><th scope="col">Kind</th><th scope="col">Counter</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {passkeys?.map((p) => (
                  <tr key={p.id} data-testid="console-passkey">
                    <td>{p.name || "Unnamed passkey"}</td>
                    <td>{p.createdAt ? formatDate(p.createdAt) : "—"}</td>
                    <td>{p.deviceType === "multiDevice" ? "Synced" : "This device only"}</td>
                    <td>{p.counter}</td>
                    <td>
                      <button type="button" class="button small danger" disabled={action.busy} aria-label={`Remove passkey ${p.name || p.id}`}
                        onClick={() => action.run(async () => {
                          const { error } = await consolePost(`/users/${encodeURIComponent(userId)}/passkeys/${encodeURIComponent(p.id)}/delete`);
                          if (error) return error.message;
                          await load();
                          action.setNotice("The passkey was removed; it no longer signs in.");
                        })}>Remove</button>
                    </td>
                  </tr>
                ))}
                {passkeys && passkeys.length === 0 && <tr><td colSpan={5}>No passkeys.</td></tr>}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
