// Reviewed, deliberate differences between the reference and our server. Nothing else may differ.
//   step      "group/step name" (glob: `*` matches anything)
//   field     the compared path or paths (globs), e.g. "status", "body.code", 'cookies["better-auth.session_token"]'
//   when      optional (refValue, ourValue) => boolean narrowing the entry; an absent field is undefined
//   oursOnly  the step is not run against the reference at all (it would crash it)
//   reason    why the difference is deliberate
// Only status, JSON body, Set-Cookie and Location are recorded, so our extra headers (set-auth-token,
// Cache-Control: no-store) are never compared and need no entry.

/** Columns the reference's plugins add to user and session rows (null on a fresh email/password user, role "user"). */
const PLUGIN_USER = ["twoFactorEnabled", "username", "displayUsername", "isAnonymous", "phoneNumber",
  "phoneNumberVerified", "role", "banned", "banReason", "banExpires"];
const PLUGIN_SESSION = ["impersonatedBy", "activeOrganizationId"];

export default [
  {
    step: "*",
    field: [...PLUGIN_USER.map((f) => `body.user.${f}`), ...PLUGIN_SESSION.flatMap((f) => [`body.session.${f}`, `body[*].${f}`])],
    when: (ref, ours) => ours === undefined && (ref === null || ref === "user"),
    reason: "TEMPORARY: the reference runs the twoFactor, username, anonymous, phoneNumber, admin and organization " +
      "plugins, which add these columns to every user/session row; our server has no plugins yet. Remove when they land.",
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
];
