// Reviewed, deliberate differences between the reference and our server. Nothing else may differ.
//   step      "group/step name" (glob: `*` matches anything)
//   field     the compared path or paths (globs), e.g. "status", "body.code", 'cookies["better-auth.session_token"]'
//   when      optional (refValue, ourValue) => boolean narrowing the entry; an absent field is undefined
//   oursOnly  the step is not run against the reference at all (it would crash it)
//   reason    why the difference is deliberate
// Only status, JSON body, Set-Cookie and Location are recorded, so our extra headers (set-auth-token,
// Cache-Control: no-store) are never compared and need no entry.

export default [
  // --- magic link, multi-session, one-time token (extra run "session-plugins": extra-runs.mjs, scenarios/session-plugins.mjs) ---
  {
    step: "magic-link/the same link again",
    field: "location",
    when: (ref, ours) => ref === "<base>/done?step=2?error=INVALID_TOKEN" && ours === "<base>/done?step=2&error=INVALID_TOKEN",
    reason: "reference-defects.md: the reference appends \"?error=\" to a callbackURL that already has a query " +
      "(/done?step=2?error=…, which the page reads as step=\"2?error=…\"); ours sets error as a query parameter",
  },
  {
    step: "magic-link/verify undecodable callbackURL",
    field: ["status", "body"],
    reason: "the reference decodes callbackURL a second time with decodeURIComponent, which throws on %E0%A4%A and " +
      "answers 500; ours refuses a callbackURL it cannot decode like any untrusted one: 403 INVALID_CALLBACKURL",
  },
  {
    step: "magic-link-accounts/get-session of the squatter",
    field: ["body", 'cookies["better-auth.session_token"]', 'cookies["better-auth.session_data"]', 'cookies["better-auth.dont_remember"]'],
    reason: "the account's email was never verified when its owner signed in with the link: ours (as later Better Auth, " +
      "revokeUnprovenAccountAccess) ends the sessions and removes the password set up before the mailbox was proven " +
      "(account pre-hijacking); the reference keeps them, so whoever registered the address first stays signed in",
  },
  {
    step: "magic-link-accounts/sign-in with the squatter's password",
    field: ["status", "body", "body.*", "cookies*"],
    reason: "consequence of the entry above: the password set before the mailbox was proven no longer signs in " +
      "(401 INVALID_EMAIL_OR_PASSWORD); the reference signs the first registrant in",
  },
  {
    step: "multi-session-cookies/list with a badly signed device cookie",
    field: ["status", "body"],
    reason: "reference-defects.md: the reference answers 500 to a device-session cookie whose signature does not verify; " +
      "ours skips that cookie, as later Better Auth does (d750dddb7d), and lists the browser's valid sessions",
  },
  {
    step: "multi-session-cookies/get-session of the other browser",
    field: ["body", 'cookies["better-auth.session_token"]', 'cookies["better-auth.session_data"]', 'cookies["better-auth.dont_remember"]'],
    reason: "the reference's sign-out ends the session any device-session cookie names, signed or not, so a forged " +
      "cookie ends another browser's session; ours ends only those whose signature holds (as later Better Auth, " +
      "26bb01b6a4). The forged cookie is cleared on both",
  },
  {
    step: "multi-session-two-factor/sign-in of a two-factor user is challenged",
    field: "cookies[\"better-auth.session_token_multi-*",
    reason: "the reference's multi-session hook runs after two-factor withdrew the new session and still sets a device " +
      "cookie for that deleted session; ours sets none for a session the challenge withheld (listing skips dead " +
      "sessions on both, so only the cookie differs)",
  },
  {
    step: "multi-session-maximum/sign-up account 5",
    field: "cookies[\"better-auth.session_token_multi-*",
    reason: "with maximumSessions 5 the reference gives only 4 accounts a device-session cookie (it counts the session " +
      "cookie being set as one more); ours lets the maximum number of accounts in, as later Better Auth counts them",
  },
  {
    step: "multi-session-maximum/list-device-sessions",
    field: "body.length",
    when: (ref, ours) => ref === 4 && ours === 5,
    reason: "consequence of the entry above: the fifth account is listed on ours",
  },
  {
    step: "one-time-token/verify for an expired session",
    field: ["status", "body.*"],
    reason: "reference-defects.md: the reference answers a session that has expired, token included; ours answers " +
      "400 SESSION_EXPIRED (\"Session expired\", as later Better Auth) and hands out no token",
  },
  {
    step: "sign-up/missing name",
    field: ["status", "body.*"],
    reason: "reference-defects.md: the reference answers 422 and leaks details.code SQLITE_CONSTRAINT_NOTNULL; " +
      "we answer 400 VALIDATION_ERROR with no database detail",
  },
  {
    step: "sign-up/missing password",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference answers 500 with an empty body; we answer 400 VALIDATION_ERROR",
  },
  {
    step: "update-user/with only *",
    field: ["status", "body"],
    when: (ref) => ref === 500 || ref === "<empty>",
    reason: "reference-defects.md: an update-user body with only a role (input:false) or unknown field makes the " +
      "reference answer 500 with an empty body; we answer 400 NO_FIELDS_TO_UPDATE (the message later versions use)",
  },
  {
    step: "edge/*name not a string",
    field: ["status", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "found by this harness: the reference accepts a JSON number as name (sign-up and update-user bodies are " +
      "untyped records) and stores it as the text \"42.0\"; we refuse it with 400 VALIDATION_ERROR, as for any mistyped field",
  },
  {
    step: "edge/get-session after a non-string name",
    field: "body.user.name",
    when: (ref, ours) => ref === "42.0" && ours === "Typed",
    reason: "consequence of the entry above: the reference now reports the stored \"42.0\", ours the unchanged name",
  },
  // --- two-factor (scenarios/two-factor.mjs) ---
  {
    step: "two-factor*/*enrol*",
    field: "body.token",
    reason: "enrolling with verify-totp rotates the session; the reference then answers the token of the session it " +
      "just deleted, ours the new session's token (the one its Set-Cookie carries), so a bearer client keeps a live token",
  },
  {
    step: "two-factor-sign-in/same TOTP code again",
    field: ["status", "body", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "reference-defects.md: the reference accepts a TOTP code again within its window; ours refuses a time step " +
      "already used (OWASP ASVS 6.5.1) with 401 INVALID_CODE and creates no session",
  },
  {
    step: "two-factor-sign-in/same mailed code again",
    field: ["status", "body", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "the reference keeps a mailed two-factor code after it was used, so it signs in again; ours deletes it on " +
      "success (every OTP is single use, reference-defects.md) and answers 400 OTP_HAS_EXPIRED",
  },
  {
    step: "two-factor-sign-in/get-session on the trusted device",
    field: ["body.session.expiresAt", 'cookies["better-auth.session_token"]'],
    reason: "SECURITY.md review round two, finding 7: a rememberMe:false sign-in completed with trustDevice gets a 1-day " +
      "session whose dont_remember marker Better Auth then clears, so the reference's next get-session stretches it to 7 " +
      "days and re-sets the cookie; ours stores the 1-day cap with the session and keeps it on every refresh path",
  },
  // --- username (scenarios/username.mjs) ---
  {
    step: "username-sign-up/username not a string",
    field: ["status", "body", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "the reference skips its username checks for a non-string and stores the number as text (unvalidated); " +
      "ours refuses a mistyped field with 400 VALIDATION_ERROR, as for name",
  },
  {
    step: "username-update/update username not a string",
    field: ["status", "body"],
    when: (ref) => ref === 500 || ref === "<empty>",
    reason: "the reference answers 500 with an empty body to a non-string username on update-user; ours 400 VALIDATION_ERROR",
  },
  {
    step: "username-update/update to the own current username",
    field: ["status", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "the reference finds the caller's own row and answers 422 USERNAME_IS_ALREADY_TAKEN to an update that keeps " +
      "their username (e.g. a profile form saved unchanged); ours treats it as no conflict and answers 200 {status:true}",
  },
  // --- anonymous (scenarios/anonymous.mjs) ---
  {
    step: "anonymous/sign-in/anonymous again as an anonymous user",
    field: 'cookies["better-auth.session_token"]',
    reason: "reference-defects.md: both answer 400, but the reference has already created another anonymous user and " +
      "sets its session cookie; ours refuses before creating anything",
  },
  {
    step: "anonymous-flag/get-session*",
    field: "body.user.isAnonymous",
    when: (ref, ours) => typeof ref === "boolean" && ours === null,
    reason: "the reference lets a client set isAnonymous through sign-up and update-user bodies (an ordinary user field); " +
      "ours makes it input:false, so only /sign-in/anonymous marks a user anonymous and a client-sent value is ignored",
  },
  {
    step: "anonymous-flag/update-user with only isAnonymous",
    field: ["status", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "consequence of the entry above: with isAnonymous not writable, an update-user body holding nothing else " +
      "gets ours' 400 NO_FIELDS_TO_UPDATE (as for any body of only non-input fields); the reference updates it and answers 200",
  },
  {
    step: "robustness/malformed JSON body",
    oursOnly: true,
    reason: "reference-defects.md: a malformed JSON body crashes the whole reference process; we answer 400 and keep serving",
  },
  {
    step: "robustness/empty JSON body",
    oursOnly: true,
    reason: "reference-defects.md: an empty body sent as application/json crashes the reference process; we answer 400",
  },
  {
    step: "sign-in-social/idToken not a JWT",
    oursOnly: true,
    reason: "the reference sends any idToken string to Google's tokeninfo endpoint and answers 500 when that call fails " +
      "(always, without network); ours checks the token locally against Google's keys and refuses a non-JWT with 401 INVALID_TOKEN",
  },
  ...["sign-in-social/*", "oauth-callback/*", "link-social/google"].map((step) => ({
    step,
    field: 'cookies["better-auth.state"]',
    when: (ref) => ref === undefined,
    reason: "SECURITY.md (review round two: OAuth): ours binds the OAuth state to the browser that began the flow with the " +
      "signed better-auth.state cookie, as later Better Auth does (1.2.12 has none, which allows login CSRF); it is set " +
      "where a flow starts and expired where the callback uses the state",
  })),
  ...["oauth-callback/state from another browser", "oauth-callback/the same state in the owner's browser"].map((step) => ({
    step,
    field: "location",
    when: (ref, ours) => (ref === "/oops?error=no_code" && ours === "/oops?error=state_mismatch") ||
      (ref === "<base>/api/auth/error?error=please_restart_the_process" && ours === "/oops?error=no_code"),
    reason: "SECURITY.md (review round two: OAuth): a state without its state cookie is refused with later Better Auth's " +
      "state_mismatch and left to the browser that began the flow (which then goes on as usual, here to no_code); the " +
      "reference uses it up in whichever browser opens it first",
  })),
  {
    step: "oauth-callback/access denied with a spaced description",
    field: "location",
    reason: "the reference copies the provider's error and error_description into the redirect raw, so a space (or a '#', '&') " +
      "lands unencoded in the Location header and can add parameters; ours percent-encodes both (same for plain codes like access_denied)",
  },
  // --- email flows (scenarios/email-flows.mjs) ---
  {
    step: "change-email/taken email",
    field: ["status", "body", "body.*"],
    reason: "SECURITY.md review round two (later Better Auth #8097): the reference answers 400 \"Couldn't update your " +
      "email\" for an address that has an account, which lets a signed-in user test addresses; ours answers {status:true} " +
      "as for a free address and changes nothing",
  },
  {
    step: "password-reset/* known email",
    field: "body.message",
    when: (ref, ours) => ref === undefined && typeof ours === "string",
    reason: "reference-defects.md: the reference adds its 'If this email exists…' message only for unknown emails, so the " +
      "body tells whether an account exists; ours answers the same body (message included) for known and unknown emails",
  },
  // --- admin (scenarios/admin.mjs) ---
  {
    step: "admin/list-users unknown sortBy",
    field: ["status", "body.*"],
    reason: "the reference takes any sortBy, finds no such column and answers 200 with no users; ours refuses a sortBy " +
      "(and filterField) that is not a user column with 400 VALIDATION_ERROR, so a typo is not mistaken for an empty result",
  },
  {
    step: "admin/set-user-password too short",
    field: ["status", "body.*"],
    reason: "reference-defects.md: the reference's admin set-user-password skips the password length rules and sets a " +
      "5-character password; ours applies the sign-up rules and answers 400 PASSWORD_TOO_SHORT",
  },
  {
    step: "admin/create-user invalid email",
    field: ["status", "body.*"],
    reason: "the reference's create-user takes any string as email and creates a user \"not-an-email\"; ours validates the " +
      "address (as sign-up does) and answers 400 INVALID_EMAIL",
  },
  {
    step: "admin/impersonate-user an admin",
    field: ["status", "body.*", "cookies*"],
    reason: "1.2.12 lets an admin impersonate another admin (a privilege path later versions close); ours answers " +
      "403 YOU_CANNOT_IMPERSONATE_ADMINS and sets no cookies",
  },
  // --- phone number (scenarios/phone-number.mjs) ---
  {
    step: "phone-reset-password/reset-password same code again",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference keeps a phone reset code after a successful /phone-number/reset-password, " +
      "so it resets the password again; ours deletes it on success (every OTP is single use) and answers 400 OTP_NOT_FOUND",
  },
  {
    step: "phone-identifiers/send-otp to another flow's identifier",
    field: ["status", "body.*"],
    reason: "SECURITY.md, review round two: a phone number is the whole identifier of its code row, so on the reference the " +
      "\"number\" sign-in-otp-<email> replaces that address's email-OTP code; ours refuses a number carrying another flow's " +
      "mark (or the OAuth state's form) with 400 INVALID_PHONE_NUMBER, whatever the format options",
  },
  {
    step: "phone-identifiers/the email-otp code still signs in",
    field: ["status", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "consequence of the entry above: on the reference the email-OTP code was superseded (400 INVALID_OTP); on ours it still signs in",
  },
  {
    step: "phone-identifiers/verify naming the reset row",
    field: ["status", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "SECURITY.md, review round two: on the reference /phone-number/verify with <number>-request-password-reset consumes " +
      "that number's reset code (and signs up a user with that \"number\"); ours refuses it with 400 INVALID_PHONE_NUMBER",
  },
  {
    step: "phone-identifiers/the reset code still resets",
    field: ["status", "body.*"],
    reason: "consequence of the entry above: the reference's reset code is gone (400 OTP_NOT_FOUND); ours still resets",
  },
  {
    step: "phone-identifiers/oauth callback with a number as state",
    field: ["status", "location"],
    when: (ref) => ref === 500 || ref === undefined,
    reason: "the reference finds the phone code row named by the state, fails to parse it as an OAuth state and answers 500; " +
      "ours looks up only a state of the state's form (SECURITY.md, review round two) and redirects with please_restart_the_process, " +
      "as for any unknown state",
  },
  // --- organization (scenarios/organization.mjs) ---
  {
    step: "organization-create/update to a taken slug",
    field: ["status", "body"],
    when: (ref) => ref === 500 || ref === "<empty>",
    reason: "the reference writes the taken slug and its unique index fails: 500 with an empty body; ours checks first and " +
      "answers 400 ORGANIZATION_ALREADY_EXISTS, as /organization/create does",
  },
  {
    step: "organization-create/update with empty data",
    field: ["status", "body"],
    when: (ref) => ref === 500 || ref === "<empty>",
    reason: "the reference sends an update with no columns to the database and answers 500 with an empty body; ours " +
      "changes nothing and answers 200 with the organization unchanged",
  },
  {
    step: "organization-members/update-member-role in another organization",
    field: ["status", "body", "body.*"],
    reason: "the reference checks the caller's role in their active organization but changes the member row by id " +
      "wherever it is, so an owner can demote (or promote) a member of an organization they do not belong to " +
      "(privilege escalation); ours looks the member up within the active organization and answers 400 MEMBER_NOT_FOUND",
  },
  {
    step: "organization-members/get-active-member of the other organization's owner",
    field: "body.role",
    when: (ref, ours) => ref === "member" && ours === "owner",
    reason: "consequence of the entry above: on the reference that owner was demoted by an outsider; on ours the role is unchanged",
  },
  {
    step: "*-reset-password/reset-password with a too short password",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the phone-number and email-OTP password resets apply no length rule, so the reference " +
      "sets a 5-character password; ours applies the sign-up rules and answers 400 PASSWORD_TOO_SHORT",
  },
  // --- passkey (extra run: extra-runs.mjs, scenarios/passkey.mjs) ---
  {
    step: "passkey-owners/bob deletes alice's passkey",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference's /passkey/delete-passkey deletes any user's passkey by id (no owner " +
      "check); ours deletes only the caller's and answers another user's passkey as update-passkey does, 401 " +
      "YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY (an unknown id stays 200 null, as on the reference)",
  },
  {
    step: "passkey-owners/alice lists after bob's attempts",
    field: ["body.length", "body[0]*"],
    reason: "consequence of the entry above: on the reference alice's passkey was deleted by bob; on ours it is still there",
  },
  {
    step: "passkey-primary-sign-in/passkey sign-in of a banned user",
    field: ["status", "body.*"],
    reason: "the reference's verify-authentication turns every error inside it, the admin plugin's ban included, into 400 " +
      "AUTHENTICATION_FAILED; ours lets the ban answer as on every other sign-in, 403 BANNED_USER (no session either way)",
  },
  {
    step: "passkey-defects/verify *a*response",
    field: "status",
    when: (ref, ours) => ref === 500 && ours === 400,
    reason: "reference-defects.md: the reference answers 500 FAILED_TO_VERIFY_REGISTRATION to any response that does not " +
      "verify; ours answers 400 with the same code and message",
  },
  {
    step: "passkey-defects/the same registration again",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference keeps a challenge after use, so a registration can be sent again and " +
      "stores a second row; ours takes the challenge once and answers 400 CHALLENGE_NOT_FOUND",
  },
  {
    step: "passkey-defects/the same credential with a new challenge",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference registers one credential id twice; ours refuses it (to anyone) with " +
      "400 PREVIOUSLY_REGISTERED, the code later Better Auth versions use",
  },
  {
    step: "passkey-defects/a response without transports",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference answers 500 to a valid registration whose response lists no transports " +
      "(response.transports is optional in WebAuthn); ours stores the passkey with transports null",
  },
  {
    step: "passkey-defects/*: options",
    field: "body.excludeCredentials*",
    reason: "consequence of the three entries above: the reference stored duplicate rows and not the passkey without " +
      "transports, ours the other way round, so the lists of credentials to exclude differ",
  },
  {
    step: "passkey-defects/the counterless assertion again with its challenge cookie",
    field: ["status", "body", "body.*", 'cookies["better-auth.session_token"]'],
    reason: "reference-defects.md: the reference's challenges are not single use, so an assertion of an authenticator " +
      "without a signature counter (always 0) can be replayed for a new session; ours takes the challenge once and " +
      "answers 400 CHALLENGE_NOT_FOUND",
  },
  // --- jwt and apiKey plugins (scenarios/keys.mjs, run by tests/conformance-keys.test.mjs) ---
  {
    step: "jwt/jwks on an empty key table",
    field: "body.keys[0].kid",
    when: (ref) => ref === undefined,
    reason: "the reference answers the key it just made without its kid (it reads the id from the object before the " +
      "database set it), so a verifier that fetched that answer (jose's createRemoteJWKSet) finds no key for the kid of " +
      "every token until it fetches again; ours lists the kid, as the reference does from the second call on",
  },
  {
    step: "api-key-header/get-session with the key",
    oursOnly: true,
    reason: "reference-defects.md: a valid x-api-key on /get-session crashes the reference's process; ours answers the " +
      "session the key stands for (its id as session id and token, never the key)",
  },
  {
    step: "api-key-header/update-user with the key",
    field: 'cookies["better-auth.session_token"]',
    reason: "reference-defects.md: the reference answers with a session cookie whose token is the API key itself; the " +
      "key's session has no row, and ours sets no cookie for it",
  },
  {
    step: "api-key-header/create with the key",
    field: ["status", "body", "body.*"],
    reason: "the reference lets a request authenticated by an API key create a new key, which has none of the first key's " +
      "limits (remaining, expiry, permissions): a leaked limited key mints an unlimited one; ours answers 401 " +
      "UNAUTHORIZED_OR_INVALID_SESSION (a key's session may list, read and delete keys, not create or change them)",
  },
  {
    step: "api-key-header/disable",
    field: "body.requestCount",
    when: (ref, ours) => ours === ref + 1,
    reason: "consequence of the ours-only get-session step above: ours counted that use of the key, the reference never ran it",
  },
  {
    step: "api-key-user-id/*",
    field: ["status", "body", "body.*"],
    reason: "reference-defects.md: the reference lets any request name any user in userId, with or without a session " +
      "(and naming one unlocks the server-only fields), and answers 500 for an unknown user; ours takes userId and the " +
      "server-only fields only from server calls (BetterAuthApi), refusing them from clients with 401 " +
      "UNAUTHORIZED_OR_INVALID_SESSION as later Better Auth versions do",
  },
];
