// /reset-password?token=…: the landing page of a reset link (after the API checked the token), where the new
// password is chosen. ?error=INVALID_TOKEN means the link was wrong or has expired.
import { useState } from "preact/hooks";
import { authPost } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";
import { pageHref, queryParam } from "../navigation";

export function ResetPassword(props: { config: PageConfig }) {
  const { config } = props;
  const token = queryParam("token");
  const linkError = queryParam("error");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const action = useAction();
  const min = config.minPasswordLength;
  const signIn = pageHref("/sign-in", config.callbackURL);

  const submit = () =>
    action.run(async () => {
      if (password !== confirm) return "The two passwords do not match.";
      if (password.length < min) return `Use at least ${min} characters for the password.`;
      const { error } = await authPost("/reset-password", { newPassword: password, token });
      if (error) return /invalid token/i.test(error.message) ? "This reset link is invalid or has already been used." : error.message;
      setDone(true);
      action.setNotice("Your password has been changed. You can now sign in with it.");
    });

  if (!token || linkError) {
    return (
      <AuthCard title="Reset your password" appName={config.appName}>
        <p class="alert alert-error" role="alert">This reset link is invalid or has expired.</p>
        <a class="button primary" href={pageHref("/forgot-password", config.callbackURL)}>Ask for a new link</a>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Choose a new password" appName={config.appName} footer={<a href={signIn}>Back to sign in</a>}>
      {done ? (
        <>
          <Messages notice={action.notice} />
          <a class="button primary" href={signIn}>Sign in</a>
        </>
      ) : (
        <form onSubmit={onSubmit(submit)}>
          <Field label="New password" name="password" type="password" autoComplete="new-password" required minLength={min}
            maxLength={config.maxPasswordLength} value={password} onValue={setPassword} hint={`At least ${min} characters.`} />
          <Field label="Confirm new password" name="confirm" type="password" autoComplete="new-password" required value={confirm} onValue={setConfirm} />
          <Messages error={action.error} notice={action.notice} />
          <SubmitButton busy={action.busy}>Change password</SubmitButton>
        </form>
      )}
    </AuthCard>
  );
}
