// The callers the fuzz (and the other security suites) act as: signed out, a plain user, an admin, and an
// organization owner with an active organization, each holding one session cookie that is sent as-is (answers'
// Set-Cookie headers are ignored, so a fuzz case cannot swap the caller for someone else).
import { execFileSync } from "node:child_process";

export const IDENTITY_PASSWORD = "fuzz-password-1234";
const SESSION_COOKIE = "better-auth.session_token";

async function postJson(apiURL, path, body, cookie) {
  const headers = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  const res = await fetch(apiURL + path, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}

/** The session cookie pair ("name=value") a response set, or undefined. */
function sessionCookieFrom(res) {
  const line = res.headers.getSetCookie().find((l) => l.startsWith(`${SESSION_COOKIE}=`));
  return line?.split(";")[0];
}

export async function signUp(apiURL, email, name = "Fuzz") {
  const { res, body } = await postJson(apiURL, "/sign-up/email", { email, password: IDENTITY_PASSWORD, name });
  if (res.status !== 200) throw new Error(`sign-up ${email}: ${res.status} ${JSON.stringify(body)}`);
  return { email, user: body.user, headers: { cookie: sessionCookieFrom(res) } };
}

async function signIn(apiURL, identity) {
  const { res } = await postJson(apiURL, "/sign-in/email", { email: identity.email, password: IDENTITY_PASSWORD });
  if (res.status !== 200) return false;
  identity.headers = { cookie: sessionCookieFrom(res) };
  return true;
}

async function createOrganization(apiURL, identity, slug) {
  const { res, body } = await postJson(apiURL, "/organization/create", { name: slug, slug }, identity.headers.cookie);
  if (res.status !== 200) throw new Error(`organization/create: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

/**
 * Signs up the callers on `server` (from servers.mjs; the admin role is written into its SQLite file, as an
 * operator's promote-admin would). Returns { identities, context } where context feeds plausible field values.
 */
export async function setUpIdentities(server) {
  const api = server.apiURL;
  const victim = await signUp(api, "victim@fuzz.test", "Victim");
  const user = await signUp(api, "user@fuzz.test", "User");
  const admin = await signUp(api, "admin@fuzz.test", "Admin");
  execFileSync("sqlite3", [server.dbPath, `UPDATE user SET role = 'admin' WHERE id = '${admin.user.id}'`]);
  const owner = await signUp(api, "owner@fuzz.test", "Owner");
  let counter = 0;
  const context = {
    victimId: victim.user.id,
    victimEmail: victim.email,
    organizationId: await createOrganization(api, owner, "fuzz-org"),
    unique: () => `${++counter}`,
  };
  owner.ownsOrganization = true;
  return {
    context,
    identities: [
      { name: "signed out", headers: {} },
      { name: "user", ...user },
      { name: "admin", ...admin },
      { name: "organization owner", ...owner },
    ],
  };
}

/**
 * Restores a caller's session (and the owner's organization) after a fuzz case ended it, e.g. sign-out or
 * revoke-sessions with a well-formed body. Returns false when the caller can no longer sign in (deleted).
 */
export async function restoreIdentity(server, identity, context) {
  if (!identity.email) return true;
  const res = await fetch(`${server.apiURL}/get-session`, { headers: identity.headers });
  const session = await res.json();
  if (!session && !(await signIn(server.apiURL, identity))) return false;
  if (identity.ownsOrganization) {
    const list = await (await fetch(`${server.apiURL}/organization/list`, { headers: identity.headers })).json();
    const active = session?.session?.activeOrganizationId;
    if (!Array.isArray(list) || list.length === 0) {
      context.organizationId = await createOrganization(server.apiURL, identity, `fuzz-org-${context.unique()}`);
    } else if (!session || active !== context.organizationId) {
      context.organizationId = list[0].id;
      await postJson(server.apiURL, "/organization/set-active", { organizationId: list[0].id }, identity.headers.cookie);
    }
  }
  return true;
}
