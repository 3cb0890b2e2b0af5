// /sign-up: a new account with email and password (and a username when that plugin is on). When the server
// signs new users in at once the page continues to the callbackURL; otherwise it asks to verify the email first.
import { useState } from "preact/hooks";
import { authPost } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";
import { finishSignIn, pageHref } from "../navigation";

export function SignUp(props: { config: PageConfig }) {
  const { config } = props;
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const action = useAction();
  const min = config.minPasswordLength;

  const submit = () =>
    action.run(async () => {
      if (password !== confirm) return "The two passwords do not match.";
      if (password.length < min) return `Use at least ${min} characters for the password.`;
      const body: Record<string, unknown> = { name: name.trim(), email: email.trim(), password, callbackURL: "/verify-email" };
      if (config.features.username && username.trim()) body.username = username.trim();
      const { data, error } = await authPost<{ token: string | null }>("/sign-up/email", body);
      if (error) return error.message;
      if (data?.token) return finishSignIn(config.callbackURL);
      setDone(true);
      action.setNotice("Your account was created. Check your email to verify your address, then sign in.");
    });

  if (!config.features.emailAndPassword || !config.features.signUp) {
    return (
      <AuthCard title="Create an account" appName={config.appName}>
        <p>Signing up is turned off on this server.</p>
        <a class="button secondary" href={pageHref("/sign-in", config.callbackURL)}>Sign in</a>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Create an account"
      appName={config.appName}
      footer={<a href={pageHref("/sign-in", config.callbackURL)}>Already have an account? Sign in</a>}
    >
      {done ? (
        <Messages notice={action.notice} />
      ) : (
        <form onSubmit={onSubmit(submit)}>
          <Field label="Name" name="name" autoComplete="name" required value={name} onValue={setName} />
          <Field label="Email" name="email" type="email" autoComplete="email" required value={email} onValue={setEmail} />
          {config.features.username && (
            <Field label="Username (optional)" name="username" autoComplete="username" value={username} onValue={setUsername}
              hint="3 to 30 letters, digits, dots or underscores." />
          )}
          <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={min}
            maxLength={config.maxPasswordLength} value={password} onValue={setPassword} hint={`At least ${min} characters.`} />
          <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required value={confirm} onValue={setConfirm} />
          <Messages error={action.error} notice={action.notice} />
          <SubmitButton busy={action.busy}>Create account</SubmitButton>
        </form>
      )}
    </AuthCard>
  );
}
