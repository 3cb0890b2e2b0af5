// What the sign-in page shows to someone who already has a session: who they are, where to go, and sign-out
// (or, for an admin acting as someone else, the way back to their own account).
import { useState } from "preact/hooks";
import { authPost, type SessionWithUser } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Messages } from "../ui/components";
import { goTo } from "../navigation";

export function SignedIn(props: { config: PageConfig; session: SessionWithUser }) {
  const { config, session } = props;
  const [error, setError] = useState<string | null>(null);
  const isAdmin = (session.user.role ?? "").split(",").map((r) => r.trim()).includes("admin");
  const impersonating = !!session.session.impersonatedBy;

  const signOut = async () => {
    const { error } = await authPost("/sign-out");
    if (error) return setError(error.message);
    goTo("/sign-in");
  };
  const stopImpersonating = async () => {
    const { error } = await authPost("/admin/stop-impersonating");
    if (error) return setError(error.message);
    goTo("/console/users");
  };

  return (
    <AuthCard title="You are signed in" appName={config.appName}>
      <p class="lead" data-testid="signed-in-as">
        Signed in as <strong>{session.user.name || session.user.email}</strong>
        {session.user.name && <> ({session.user.email})</>}.
      </p>
      {impersonating && <p class="alert alert-warning">You are acting as this user on behalf of an administrator.</p>}
      <Messages error={error} />
      <div class="stack">
        {config.callbackURL && (
          <a class="button primary" href={config.callbackURL}>Continue</a>
        )}
        {config.features.passkey && !impersonating && <a class="button secondary" href="/passkeys">Manage passkeys</a>}
        {config.features.admin && isAdmin && !impersonating && <a class="button secondary" href="/console">Open the admin console</a>}
        {impersonating && (
          <button type="button" class="button secondary" onClick={stopImpersonating}>Stop impersonating</button>
        )}
        <button type="button" class="button secondary" onClick={signOut}>Sign out</button>
      </div>
    </AuthCard>
  );
}
