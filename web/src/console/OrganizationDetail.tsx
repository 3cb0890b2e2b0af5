// One organization: members and invitations (read through the console API, so an admin sees any organization),
// and the changes the organization plugin allows the signed-in admin to make as a member of it.
import { useEffect, useState } from "preact/hooks";
import { authPost, consoleGet } from "../api";
import { Field, Messages, onSubmit, useAction } from "../ui/components";
import { formatDate } from "./format";
import { linkHandler } from "./router";

interface OrganizationDetails {
  organization: { id: string; name: string; slug: string; logo: string | null; createdAt: string; metadata: string | null };
  members: { id: string; userId: string; role: string; createdAt: string; user: { id: string; name: string; email: string } | null }[];
  invitations: { id: string; email: string; role: string | null; status: string; expiresAt: string; inviterId: string }[];
}

export function OrganizationDetail(props: { organizationId: string }) {
  const { organizationId } = props;
  const [details, setDetails] = useState<OrganizationDetails | null | undefined>(undefined);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const action = useAction();

  const load = async () => {
    const { data, error } = await consoleGet<OrganizationDetails>(`/organizations/${encodeURIComponent(organizationId)}`);
    if (error && error.status !== 404) action.setError(error.message);
    setDetails(data ?? null);
  };
  useEffect(() => {
    document.title = "Organization · Admin console";
    load();
  }, [organizationId]);

  const act = (path: string, body: Record<string, unknown>, done: string) =>
    action.run(async () => {
      const { error } = await authPost(path, body);
      if (error) return `${error.message}${error.status === 400 || error.status === 403 ? " (changes need you to be a member of this organization with that permission)" : ""}`;
      await load();
      action.setNotice(done);
    });

  if (details === undefined) return <section><h1 tabIndex={-1}>Organization</h1><p aria-busy="true">Loading…</p></section>;
  if (details === null) return <section><h1 tabIndex={-1}>Organization not found</h1><a href="/console/organizations" onClick={linkHandler}>Back</a></section>;
  const { organization, members, invitations } = details;

  return (
    <section class="detail">
      <p><a href="/console/organizations" onClick={linkHandler}>← Organizations</a></p>
      <h1 tabIndex={-1}>{organization.name}</h1>
      <dl class="facts">
        <dt>Slug</dt><dd><code>{organization.slug}</code></dd>
        <dt>Created</dt><dd>{formatDate(organization.createdAt)}</dd>
        <dt>Id</dt><dd><code>{organization.id}</code></dd>
      </dl>
      <Messages error={action.error} notice={action.notice} />

      <h2>Members ({members.length})</h2>
      <div class="table-wrap">
        <table class="data">
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.user ? <a href={`/console/users/${encodeURIComponent(m.userId)}`} onClick={linkHandler}>{m.user.name || m.user.email}</a> : m.userId}</td>
                <td>{m.user?.email ?? "—"}</td>
                <td>{m.role}</td>
                <td>{formatDate(m.createdAt)}</td>
                <td>
                  <button type="button" class="button small secondary" disabled={action.busy}
                    onClick={() => act("/organization/remove-member", { memberIdOrEmail: m.id, organizationId }, "The member was removed.")}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Invitations</h2>
      <div class="table-wrap">
        <table class="data">
          <thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{i.role ?? "—"}</td>
                <td>{i.status}</td>
                <td>{formatDate(i.expiresAt)}</td>
                <td>
                  {i.status === "pending" && (
                    <button type="button" class="button small secondary" disabled={action.busy}
                      onClick={() => act("/organization/cancel-invitation", { invitationId: i.id }, "The invitation was canceled.")}>Cancel</button>
                  )}
                </td>
              </tr>
            ))}
            {invitations.length === 0 && <tr><td colSpan={5}>No invitations.</td></tr>}
          </tbody>
        </table>
      </div>

      <form class="panel" onSubmit={onSubmit(() => act("/organization/invite-member", { email: email.trim(), role, organizationId }, `Invitation sent to ${email.trim()}.`))}>
        <h2>Invite a member</h2>
        <Field label="Email" name="inviteEmail" type="email" required value={email} onValue={setEmail} />
        <label class="inline-field">
          <span>Role</span>
          <select name="inviteRole" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
            <option value="member">member</option>
            <option value="admin">admin</option>
            <option value="owner">owner</option>
          </select>
        </label>
        <button type="submit" class="button secondary" disabled={action.busy}>Send invitation</button>
      </form>
    </section>
  );
}
