// Sign-in with an emailed link (magic-link plugin): the link signs the user in (or up) and returns to the checked
// callbackURL, or to this page's signed-in view. A link that failed comes back here with ?error=.
import { useState } from "preact/hooks";
import { authPost } from "../api";
import { DEFAULT_DESTINATION, type PageConfig } from "../config";
import { Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";

export function MagicLinkSignIn(props: { config: PageConfig }) {
  const { config } = props;
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const action = useAction();

  const send = () =>
    action.run(async () => {
      const target = email.trim();
      const { error } = await authPost("/sign-in/magic-link", { email: target, callbackURL: config.callbackURL ?? DEFAULT_DESTINATION });
      if (error) return error.message;
      setSentTo(target);
      action.setNotice(`We sent a sign-in link to ${target}. Open it on this device; it works once and expires in a few minutes.`);
    });

  return (
    <form onSubmit={onSubmit(send)}>
      <Field label="Email" name="link-email" type="email" autoComplete="email" required value={email} onValue={setEmail} />
      <SubmitButton busy={action.busy} variant={sentTo ? "secondary" : "primary"}>{sentTo ? "Send a new link" : "Email me a sign-in link"}</SubmitButton>
      <Messages error={action.error} notice={action.notice} />
    </form>
  );
}
