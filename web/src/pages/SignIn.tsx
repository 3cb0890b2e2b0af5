// /sign-in: password (email or username), one-time codes by email or SMS, an emailed sign-in link, and the
// configured social providers.
// A sign-in that needs a second factor continues on /two-factor with the same callbackURL.
import { useEffect, useState } from "preact/hooks";
import { authPost, getSession, type SessionWithUser } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Checkbox, Field, Messages, SubmitButton, Tabs, onSubmit, useAction, type TabDefinition } from "../ui/components";
import { finishSignIn, goTo, pageHref, queryParam } from "../navigation";
import { CodeSignIn } from "./CodeSignIn";
import { MagicLinkSignIn } from "./MagicLinkSignIn";
import { SignedIn } from "./SignedIn";
import { describeWebAuthnError, getPasskey, passkeysSupported } from "../webauthn";

interface SignInReply {
  twoFactorRedirect?: boolean;
  token?: string | null;
}

/** Errors a social provider's callback sends back (Better Auth's ?error= codes), in words. */
const CALLBACK_ERRORS: Record<string, string> = {
  banned: "This account has been banned.",
  account_not_linked: "That account is not linked to a user here. Sign in another way, then link it.",
  signup_disabled: "Signing up with that provider is turned off.",
  email_not_found: "The provider did not share an email address.",
  state_not_found: "The sign-in took too long or was started elsewhere. Please try again.",
  please_restart_the_process: "The sign-in took too long. Please try again.",
  INVALID_TOKEN: "This sign-in link is not valid or was already used. Ask for a new one.",
  EXPIRED_TOKEN: "This sign-in link has expired. Ask for a new one.",
  new_user_signup_disabled: "There is no account for this email address.",
};

export function SignIn(props: { config: PageConfig }) {
  const { config } = props;
  const [session, setSession] = useState<SessionWithUser | null | undefined>(undefined);
  useEffect(() => {
    getSession().then(({ data }) => setSession(data ?? null));
  }, []);
  if (session === undefined) return <AuthCard title="Sign in" appName={config.appName}><p aria-busy="true">Loading…</p></AuthCard>;
  if (session) return <SignedIn config={config} session={session} />;
  return <SignInForms config={config} />;
}

function SignInForms(props: { config: PageConfig }) {
  const { config } = props;
  const f = config.features;
  const tabs: TabDefinition[] = [];
  if (f.emailAndPassword) tabs.push({ id: "email", label: "Email" });
  if (f.emailAndPassword && f.username) tabs.push({ id: "username", label: "Username" });
  if (f.emailOtp && f.messaging) tabs.push({ id: "email-code", label: "Email code" });
  if (f.magicLink && f.messaging) tabs.push({ id: "email-link", label: "Email link" });
  if (f.phoneNumber && f.messaging) tabs.push({ id: "phone", label: "Phone" });
  const [method, setMethod] = useState(tabs[0]?.id ?? "");

  const callbackError = queryParam("error");
  const initialError = callbackError
    ? queryParam("error_description") ?? CALLBACK_ERRORS[callbackError] ?? `Sign-in failed (${callbackError}).`
    : config.callbackRejected
      ? "The address you came from asked to return to a site that is not trusted; you will stay here after signing in."
      : null;

  return (
    <AuthCard
      title="Sign in"
      appName={config.appName}
      footer={
        <>
          {f.emailAndPassword && f.signUp && <a href={pageHref("/sign-up", config.callbackURL)}>Create an account</a>}
          {f.emailAndPassword && f.messaging && <a href={pageHref("/forgot-password", config.callbackURL)}>Forgot your password?</a>}
        </>
      }
    >
      {initialError && <p class="alert alert-error" data-testid="callback-error">{initialError}</p>}
      {tabs.length > 0 && (
        <Tabs label="Sign-in method" tabs={tabs} active={method} onSelect={setMethod}>
          {method === "email" && <PasswordSignIn config={config} kind="email" />}
          {method === "username" && <PasswordSignIn config={config} kind="username" />}
          {method === "email-code" && <CodeSignIn config={config} kind="email" />}
          {method === "email-link" && <MagicLinkSignIn config={config} />}
          {method === "phone" && <CodeSignIn config={config} kind="phone" />}
        </Tabs>
      )}
      {f.passkey && <PasskeySignIn config={config} />}
      <SocialButtons config={config} />
      {tabs.length === 0 && config.socialProviders.length === 0 && !f.passkey && <p>No sign-in method is enabled on this server.</p>}
    </AuthCard>
  );
}

function PasswordSignIn(props: { config: PageConfig; kind: "email" | "username" }) {
  const { config, kind } = props;
  const [identifier, setIdentifier] = useState("");
  const [password, setPassword] = useState("");
  const [rememberMe, setRememberMe] = useState(true);
  const action = useAction();

  const submit = () =>
    action.run(async () => {
      const body =
        kind === "email"
          ? { email: identifier.trim(), password, rememberMe, callbackURL: config.callbackURL ?? undefined }
          : { username: identifier.trim(), password, rememberMe };
      const { data, error } = await authPost<SignInReply>(kind === "email" ? "/sign-in/email" : "/sign-in/username", body);
      if (error) return error.message;
      if (data?.twoFactorRedirect) return goTo(pageHref("/two-factor", config.callbackURL));
      finishSignIn(config.callbackURL);
    });

  return (
    <form onSubmit={onSubmit(submit)}>
      {kind === "email" ? (
        <Field label="Email" name="email" type="email" autoComplete="email" required value={identifier} onValue={setIdentifier} />
      ) : (
        <Field label="Username" name="username" autoComplete="username" required value={identifier} onValue={setIdentifier} />
      )}
      <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} />
      <Checkbox label="Keep me signed in" name="rememberMe" checked={rememberMe} onChange={setRememberMe} />
      <Messages error={action.error} notice={action.notice} />
      <SubmitButton busy={action.busy}>Sign in</SubmitButton>
    </form>
  );
}

/** "Sign in with a passkey": the browser offers the passkeys it holds for this site (no account name needed). */
function PasskeySignIn(props: { config: PageConfig }) {
  const { config } = props;
  const action = useAction();
  const start = () =>
    action.run(async () => {
      if (!passkeysSupported()) return "This browser does not support passkeys.";
      const options = await authPost<Record<string, any>>("/passkey/generate-authenticate-options", {});
      if (options.error) return options.error.message;
      let response;
      try {
        response = await getPasskey(options.data);
      } catch (e) {
        return describeWebAuthnError(e);
      }
      const { error } = await authPost("/passkey/verify-authentication", { response });
      if (error) {
        if (error.code === "PASSKEY_NOT_FOUND") return "This passkey is not registered here (it may have been removed).";
        if (error.code === "BANNED_USER") return error.message;
        return "The passkey could not be verified. Please try again.";
      }
      finishSignIn(config.callbackURL);
    });
  return (
    <section class="passkey-sign-in" aria-label="Sign in with a passkey">
      <p class="divider"><span>or</span></p>
      <button type="button" class="button secondary" disabled={action.busy} onClick={start}>Sign in with a passkey</button>
      <Messages error={action.error} />
    </section>
  );
}

function SocialButtons(props: { config: PageConfig }) {
  const { config } = props;
  const action = useAction();
  if (config.socialProviders.length === 0) return null;
  const start = (provider: string) =>
    action.run(async () => {
      const { data, error } = await authPost<{ url?: string }>("/sign-in/social", {
        provider,
        callbackURL: config.callbackURL ?? "/sign-in",
        errorCallbackURL: "/sign-in",
      });
      if (error) return error.message;
      if (data?.url) goTo(data.url);
    });
  return (
    <section class="social" aria-label="Sign in with another account">
      <p class="divider"><span>or continue with</span></p>
      <div class="stack">
        {config.socialProviders.map((p) => (
          <button key={p.id} type="button" class="button secondary" disabled={action.busy} onClick={() => start(p.id)}>
            Continue with {p.name}
          </button>
        ))}
      </div>
      <Messages error={action.error} />
    </section>
  );
}
