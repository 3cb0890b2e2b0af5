// /two-factor: the second step of a sign-in for users with two-factor authentication. The pending sign-in lives in
// the server's signed two_factor cookie; this page only sends the code (authenticator, emailed code or backup code).
import { useState } from "preact/hooks";
import { authPost } from "../api";
import type { PageConfig } from "../config";
import { AuthCard, Checkbox, Field, Messages, SubmitButton, Tabs, onSubmit, useAction, type TabDefinition } from "../ui/components";
import { finishSignIn, pageHref } from "../navigation";

type Method = "totp" | "otp" | "backup";

const VERIFY_PATH: Record<Method, string> = {
  totp: "/two-factor/verify-totp",
  otp: "/two-factor/verify-otp",
  backup: "/two-factor/verify-backup-code",
};

export function TwoFactor(props: { config: PageConfig }) {
  const { config } = props;
  const tabs: TabDefinition[] = [{ id: "totp", label: "Authenticator app" }];
  if (config.features.messaging) tabs.push({ id: "otp", label: "Email code" });
  tabs.push({ id: "backup", label: "Backup code" });
  const [method, setMethod] = useState<Method>("totp");
  const [code, setCode] = useState("");
  const [trustDevice, setTrustDevice] = useState(false);
  const [expired, setExpired] = useState(false);
  const action = useAction();

  const select = (id: string) => {
    setMethod(id as Method);
    setCode("");
  };

  const sendCode = () =>
    action.run(async () => {
      const { error } = await authPost("/two-factor/send-otp", {});
      if (error) return describe(error.status, error.message);
      action.setNotice("We sent a code to your email address.");
    });

  const verify = () =>
    action.run(async () => {
      const { error } = await authPost(VERIFY_PATH[method], { code: code.trim(), trustDevice });
      if (error) return describe(error.status, error.message);
      finishSignIn(config.callbackURL);
    });

  function describe(status: number, message: string) {
    if (status === 401 && /two factor cookie/i.test(message)) {
      setExpired(true);
      return "This sign-in has expired. Please sign in again.";
    }
    return message;
  }

  const labels: Record<Method, { label: string; hint: string }> = {
    totp: { label: "Code from your authenticator app", hint: "The 6-digit code shown in the app." },
    otp: { label: "Code from the email", hint: "Send a code first, then enter it here." },
    backup: { label: "Backup code", hint: "One of the codes you saved when you set up two-factor authentication." },
  };

  return (
    <AuthCard
      title="Two-factor authentication"
      appName={config.appName}
      footer={<a href={pageHref("/sign-in", config.callbackURL)}>Sign in with another account</a>}
    >
      <p class="lead">Confirm it is you with your second factor.</p>
      <Tabs label="Verification method" tabs={tabs} active={method} onSelect={select}>
        {method === "otp" && (
          <form onSubmit={onSubmit(sendCode)}>
            <SubmitButton busy={action.busy} variant="secondary">Email me a code</SubmitButton>
          </form>
        )}
        <form onSubmit={onSubmit(verify)}>
          <Field
            label={labels[method].label}
            hint={labels[method].hint}
            name="code"
            required
            autoComplete="one-time-code"
            inputMode={method === "backup" ? "text" : "numeric"}
            value={code}
            onValue={setCode}
          />
          <Checkbox label="Trust this device for 30 days" name="trustDevice" checked={trustDevice} onChange={setTrustDevice} />
          <Messages error={action.error} notice={action.notice} />
          <SubmitButton busy={action.busy}>Verify</SubmitButton>
        </form>
      </Tabs>
      {expired && <a class="button secondary" href={pageHref("/sign-in", config.callbackURL)}>Sign in again</a>}
    </AuthCard>
  );
}
