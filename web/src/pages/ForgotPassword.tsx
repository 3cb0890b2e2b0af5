// /forgot-password: asks the server to mail a reset link. The link passes through the API, which checks the
// token and sends the browser on to /reset-password?token=… (keeping the callbackURL).
import { useState } from "preact/hooks";
import { authPost } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";
import { pageHref } from "../navigation";

export function ForgotPassword(props: { config: PageConfig }) {
  const { config } = props;
  const [email, setEmail] = useState("");
  const action = useAction();

  const submit = () =>
    action.run(async () => {
      const { error } = await authPost("/request-password-reset", {
        email: email.trim(),
        redirectTo: pageHref("/reset-password", config.callbackURL),
      });
      if (error) return error.message;
      // The server answers the same for unknown addresses, so the page cannot (and must not) say more.
      action.setNotice(`If an account uses ${email.trim()}, we sent it a link to choose a new password.`);
    });

  return (
    <AuthCard
      title="Reset your password"
      appName={config.appName}
      footer={<a href={pageHref("/sign-in", config.callbackURL)}>Back to sign in</a>}
    >
      <p class="lead">Enter your email address and we will send you a link to choose a new password.</p>
      <form onSubmit={onSubmit(submit)}>
        <Field label="Email" name="email" type="email" autoComplete="email" required value={email} onValue={setEmail} />
        <Messages error={action.error} notice={action.notice} />
        <SubmitButton busy={action.busy}>Send the link</SubmitButton>
      </form>
    </AuthCard>
  );
}
