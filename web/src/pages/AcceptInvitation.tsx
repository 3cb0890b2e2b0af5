// /accept-invitation/{id}: the link of an organization invitation. The invitee signs in (or signs up) first and
// comes back here; the invitation is then shown with its organization, role and inviter, to accept or decline.
import { useEffect, useState } from "preact/hooks";
import { authGet, authPost, getSession, type SessionWithUser } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Messages, useAction } from "../ui/components";
import { pageHref } from "../navigation";

interface InvitationDetails {
  id: string;
  email: string;
  role: string | null;
  organizationName: string;
  organizationSlug: string;
  inviterEmail: string;
  expiresAt: string;
}

type State =
  | { kind: "loading" }
  | { kind: "signed-out" }
  | { kind: "error"; message: string; session: SessionWithUser }
  | { kind: "ready"; invitation: InvitationDetails; session: SessionWithUser }
  | { kind: "answered"; accepted: boolean; organizationName: string };

export function AcceptInvitation(props: { config: PageConfig }) {
  const { config } = props;
  const id = config.invitationId ?? "";
  const here = `/accept-invitation/${encodeURIComponent(id)}`;
  const [state, setState] = useState<State>({ kind: "loading" });
  const action = useAction();

  useEffect(() => {
    (async () => {
      const { data: session } = await getSession();
      if (!session) return setState({ kind: "signed-out" });
      const { data, error } = await authGet<InvitationDetails>("/organization/get-invitation", { id });
      if (error) return setState({ kind: "error", message: error.message, session });
      setState({ kind: "ready", invitation: data, session });
    })();
  }, [id]);

  const answer = (accept: boolean) =>
    action.run(async () => {
      if (state.kind !== "ready") return;
      const { error } = await authPost(accept ? "/organization/accept-invitation" : "/organization/reject-invitation", { invitationId: id });
      if (error) return error.message;
      setState({ kind: "answered", accepted: accept, organizationName: state.invitation.organizationName });
    });

  if (!config.features.organization) {
    return <AuthCard title="Invitation" appName={config.appName}><p>Organizations are not enabled on this server.</p></AuthCard>;
  }

  return (
    <AuthCard title="Organization invitation" appName={config.appName}>
      {state.kind === "loading" && <p aria-busy="true">Loading the invitation…</p>}
      {state.kind === "signed-out" && (
        <>
          <p class="lead">Sign in with the email address the invitation was sent to, and you will come back here to answer it.</p>
          <div class="stack">
            <a class="button primary" href={pageHref("/sign-in", here)}>Sign in</a>
            {config.features.signUp && <a class="button secondary" href={pageHref("/sign-up", here)}>Create an account</a>}
          </div>
        </>
      )}
      {state.kind === "error" && (
        <>
          <p class="alert alert-error" role="alert">{state.message}</p>
          <p>You are signed in as {state.session.user.email}. If the invitation was sent to another address, sign in with that one.</p>
        </>
      )}
      {state.kind === "ready" && (
        <>
          <p class="lead" data-testid="invitation-summary">
            <strong>{state.invitation.inviterEmail}</strong> invited you to join <strong>{state.invitation.organizationName}</strong>
            {state.invitation.role ? <> as <strong>{state.invitation.role}</strong></> : null}.
          </p>
          <p class="muted">The invitation expires on {new Date(state.invitation.expiresAt).toLocaleString()}.</p>
          <Messages error={action.error} />
          <div class="stack">
            <button type="button" class="button primary" disabled={action.busy} onClick={() => answer(true)}>Accept invitation</button>
            <button type="button" class="button secondary" disabled={action.busy} onClick={() => answer(false)}>Decline</button>
          </div>
        </>
      )}
      {state.kind === "answered" && (
        <p class="alert alert-notice" role="status">
          {state.accepted ? `You joined ${state.organizationName}.` : `You declined the invitation to ${state.organizationName}.`}
        </p>
      )}
    </AuthCard>
  );
}
