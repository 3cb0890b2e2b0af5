// /passkeys: the signed-in user's passkeys: add one (this device or a security key), rename and remove them.
import { useEffect, useState } from "preact/hooks";
import { authGet, authPost, getSession, type SessionWithUser } from "../api";
import type { PageConfig } from "../config";
import { pageHref } from "../navigation";
import { AuthCard, Field, Messages, SubmitButton, onSubmit, useAction } from "../ui/components";

type Action = ReturnType<typeof useAction>;
import { createPasskey, describeWebAuthnError, passkeysSupported } from "../webauthn";

export interface PasskeyRow {
  id: string;
  name: string | null;
  credentialID: string;
  deviceType: string;
  backedUp: boolean;
  counter: number;
  createdAt: string | null;
}

const label = (p: PasskeyRow) => p.name || "Unnamed passkey";
const created = (p: PasskeyRow) => (p.createdAt ? new Date(p.createdAt).toLocaleDateString() : "");

export function Passkeys(props: { config: PageConfig }) {
  const { config } = props;
  const [session, setSession] = useState<SessionWithUser | null | undefined>(undefined);
  const [passkeys, setPasskeys] = useState<PasskeyRow[] | null>(null);
  const [name, setName] = useState("");
  const action = useAction();

  const load = async () => {
    const { data } = await authGet<PasskeyRow[]>("/passkey/list-user-passkeys");
    setPasskeys(data ?? []);
  };
  useEffect(() => {
    getSession().then(({ data }) => {
      setSession(data ?? null);
      if (data) load();
    });
  }, []);

  if (session === undefined) return <AuthCard title="Passkeys" appName={config.appName}><p aria-busy="true">Loading…</p></AuthCard>;
  if (!session) {
    return (
      <AuthCard title="Passkeys" appName={config.appName}>
        <p>Sign in to manage your passkeys.</p>
        <a class="button primary" href={pageHref("/sign-in", "/passkeys")}>Sign in</a>
      </AuthCard>
    );
  }

  const add = () =>
    action.run(async () => {
      if (!passkeysSupported()) return "This browser does not support passkeys.";
      const options = await authGet<Record<string, any>>("/passkey/generate-register-options");
      if (options.error) return options.error.code === "SESSION_IS_NOT_FRESH" ? "Sign in again to add a passkey." : options.error.message;
      let response;
      try {
        response = await createPasskey(options.data);
      } catch (e) {
        return describeWebAuthnError(e);
      }
      const { error } = await authPost("/passkey/verify-registration", { response, name: name.trim() || undefined });
      if (error) return error.code === "PREVIOUSLY_REGISTERED" ? "This passkey is registered already." : error.message;
      setName("");
      await load();
      action.setNotice("The passkey was added. You can now sign in with it.");
    });

  return (
    <AuthCard
      title="Passkeys"
      appName={config.appName}
      footer={<a href="/sign-in">Back to your account</a>}
    >
      <p class="lead">Passkeys let you sign in with your fingerprint, face, screen lock or a security key instead of a password.</p>
      <Messages error={action.error} notice={action.notice} />
      {passkeys === null ? (
        <p aria-busy="true">Loading…</p>
      ) : passkeys.length === 0 ? (
        <p data-testid="no-passkeys">You have no passkey yet.</p>
      ) : (
        <ul class="passkey-list" aria-label="Your passkeys">
          {passkeys.map((p) => <PasskeyItem key={p.id} passkey={p} action={action} reload={load} />)}
        </ul>
      )}
      <form onSubmit={onSubmit(add)}>
        <Field label="Name for a new passkey (optional)" name="passkeyName" value={name} onValue={setName} hint="For example: Work laptop, Phone." />
        <SubmitButton busy={action.busy}>Add a passkey</SubmitButton>
      </form>
    </AuthCard>
  );
}

function PasskeyItem(props: { passkey: PasskeyRow; action: Action; reload: () => Promise<void> }) {
  const { passkey, action, reload } = props;
  const { busy, run, setNotice } = action;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name ?? "");

  const rename = () =>
    run(async () => {
      const { error } = await authPost("/passkey/update-passkey", { id: passkey.id, name: name.trim() });
      if (error) return error.message;
      setEditing(false);
      await reload();
      setNotice("The passkey was renamed.");
    });
  const remove = () =>
    run(async () => {
      const { error } = await authPost("/passkey/delete-passkey", { id: passkey.id });
      if (error) return error.message;
      await reload();
      setNotice(`${label(passkey)} was removed.`);
    });

  return (
    <li class="passkey" data-testid="passkey">
      {editing ? (
        <form class="inline-form" onSubmit={onSubmit(rename)}>
          <Field label={`New name for ${label(passkey)}`} name="rename" required value={name} onValue={setName} />
          <button type="submit" class="button small primary" disabled={busy}>Save</button>
          <button type="button" class="button small secondary" onClick={() => setEditing(false)}>Cancel</button>
        </form>
      ) : (
        <>
          <div>
            <strong>{label(passkey)}</strong>
            <span class="muted"> · added {created(passkey)}{passkey.backedUp ? " · synced" : ""}</span>
          </div>
          <div class="row-actions">
            <button type="button" class="button small secondary" disabled={busy} onClick={() => setEditing(true)}
              aria-label={`Rename ${label(passkey)}`}>Rename</button>
            <button type="button" class="button small danger" disabled={busy} onClick={remove}
              aria-label={`Remove ${label(passkey)}`}>Remove</button>
          </div>
        </>
      )}
    </li>
  );
}
