// Sign-in with a one-time code: by email (email-otp plugin) or by SMS (phone-number plugin). Step one sends the
// code, step two checks it; the address stays editable so a typo can be fixed without reloading.
import { useRef, useState } from "preact/hooks";
import { authPost } from "../api";
import type { PageConfig } from "../config";
import { Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";
import { finishSignIn } from "../navigation";

export function CodeSignIn(props: { config: PageConfig; kind: "email" | "phone" }) {
  const { config, kind } = props;
  const [address, setAddress] = useState("");
  const [code, setCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const codeInput = useRef<HTMLDivElement>(null);
  const action = useAction();

  const send = () =>
    action.run(async () => {
      const target = address.trim();
      const { error } =
        kind === "email"
          ? await authPost("/email-otp/send-verification-otp", { email: target, type: "sign-in" })
          : await authPost("/phone-number/send-otp", { phoneNumber: target });
      if (error) return error.message;
      setSentTo(target);
      setCode("");
      action.setNotice(`We sent a code to ${target}. It expires in a few minutes.`);
      setTimeout(() => codeInput.current?.querySelector("input")?.focus(), 0);
    });

  const verify = () =>
    action.run(async () => {
      if (!sentTo) return "Send a code first.";
      const { data, error } =
        kind === "email"
          ? await authPost<{ token?: string }>("/sign-in/email-otp", { email: sentTo, otp: code.trim() })
          : await authPost<{ token?: string } | null>("/phone-number/verify", { phoneNumber: sentTo, code: code.trim() });
      if (error) return error.message;
      if (!data || !data.token) return "No account uses this phone number.";
      finishSignIn(config.callbackURL);
    });

  return (
    <div>
      <form onSubmit={onSubmit(send)}>
        {kind === "email" ? (
          <Field label="Email" name="otp-email" type="email" autoComplete="email" required value={address} onValue={setAddress} />
        ) : (
          <Field label="Phone number" name="phone" type="tel" autoComplete="tel" required value={address} onValue={setAddress}
            hint="In international format, e.g. +14155550123." />
        )}
        <SubmitButton busy={action.busy} variant={sentTo ? "secondary" : "primary"}>{sentTo ? "Send a new code" : "Send a code"}</SubmitButton>
      </form>
      {sentTo && (
        <form onSubmit={onSubmit(verify)} class="step">
          <div ref={codeInput}>
            <Field label="Code" name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onValue={setCode} />
          </div>
          <SubmitButton busy={action.busy}>Sign in</SubmitButton>
        </form>
      )}
      <Messages error={action.error} notice={action.notice} />
    </div>
  );
}
