// /verify-email: where verification links end. The API's link verifies and redirects here (?error=… on failure);
// a link carrying ?token= straight to this page is verified from here. A new link can be requested on failure.
import { useEffect, useState } from "preact/hooks";
import { authGet, authPost, getSession } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";
import { pageHref, queryParam } from "../navigation";

const LINK_ERRORS: Record<string, string> = {
  token_expired: "This verification link has expired.",
  invalid_token: "This verification link is not valid.",
  user_not_found: "No account uses this email address any more.",
  unauthorized: "Sign in with the account that asked for the change, then open the link again.",
};

type State = { kind: "checking" } | { kind: "verified" } | { kind: "failed"; message: string } | { kind: "unknown" };

export function VerifyEmail(props: { config: PageConfig }) {
  const { config } = props;
  const [state, setState] = useState<State>({ kind: "checking" });

  useEffect(() => {
    const token = queryParam("token");
    const error = queryParam("error");
    if (error) return setState({ kind: "failed", message: LINK_ERRORS[error] ?? `Verification failed (${error}).` });
    if (token) {
      authGet("/verify-email", { token }).then(({ error }) =>
        setState(error ? { kind: "failed", message: LINK_ERRORS[error.message] ?? error.message } : { kind: "verified" }));
      return;
    }
    // Arriving without a token or an error is the API's success redirect; a signed-in visitor can be told for sure.
    getSession().then(({ data }) =>
      setState(data ? (data.user.emailVerified ? { kind: "verified" } : { kind: "failed", message: "Your email address is not verified yet." }) : { kind: "unknown" }));
  }, []);

  return (
    <AuthCard title="Email verification" appName={config.appName} footer={<a href={pageHref("/sign-in", config.callbackURL)}>Go to sign in</a>}>
      {state.kind === "checking" && <p aria-busy="true">Checking your link…</p>}
      {state.kind === "verified" && <p class="alert alert-notice" role="status" data-testid="verified">Your email address is verified. Thank you!</p>}
      {state.kind === "unknown" && <p class="lead">If you followed the link from your email, your address is now verified. Sign in to continue.</p>}
      {state.kind === "failed" && (
        <>
          <p class="alert alert-error" role="alert">{state.message}</p>
          {config.features.messaging && <ResendLink />}
        </>
      )}
    </AuthCard>
  );
}

function ResendLink() {
  const [email, setEmail] = useState("");
  const action = useAction();
  const submit = () =>
    action.run(async () => {
      const { error } = await authPost("/send-verification-email", { email: email.trim(), callbackURL: "/verify-email" });
      if (error) return error.message;
      action.setNotice(`If ${email.trim()} belongs to an unverified account, a new link is on its way.`);
    });
  return (
    <form onSubmit={onSubmit(submit)}>
      <h2>Send a new link</h2>
      <Field label="Email" name="email" type="email" autoComplete="email" required value={email} onValue={setEmail} />
      <Messages error={action.error} notice={action.notice} />
      <SubmitButton busy={action.busy}>Send a new link</SubmitButton>
    </form>
  );
}
