// Well-formed values per body field name (JSON text), so that each fuzz case damages one field of an otherwise
// plausible request and gets past validation into the handler; and the query parameters each GET operation reads
// (the spec lists none).

const json = (value) => JSON.stringify(value);

/** Query parameters read by the GET operations (Better Auth 1.2.12's query schemas). */
const QUERY_PARAMETERS = {
  "/get-session": ["disableCookieCache", "disableRefresh"],
  "/verify-email": ["token", "callbackURL"],
  "/reset-password/{token}": ["callbackURL"],
  "/delete-user/callback": ["token", "callbackURL"],
  "/error": ["error"],
  "/admin/list-users": ["searchValue", "searchField", "searchOperator", "limit", "offset", "sortBy", "sortDirection", "filterField", "filterValue", "filterOperator"],
  "/organization/get-full-organization": ["organizationId", "organizationSlug", "membersLimit"],
  "/organization/get-invitation": ["id"],
  "/organization/list-invitations": ["organizationId"],
  "/magic-link/verify": ["token", "callbackURL"],
};

export const queryParameters = (path) => QUERY_PARAMETERS[path] ?? ["x"];

const BOOLEAN_FIELDS = new Set([
  "rememberMe", "trustDevice", "disableSession", "revokeOtherSessions", "requestSignUp", "disableRedirect",
  "keepCurrentActiveOrganization", "resend", "updatePhoneNumber",
]);

/**
 * A plausible JSON value for a field. `context` holds ids from the running server: `victimId`/`victimEmail` (a user
 * the admin and organization operations may act on), `organizationId`, and `unique()` for fresh names.
 */
export function plausibleValue(path, name, context) {
  if (BOOLEAN_FIELDS.has(name)) return "true";
  switch (name) {
    case "email":
    case "newEmail":
      return json(`fuzz-${context.unique()}@example.com`);
    case "password":
    case "newPassword":
    case "currentPassword":
      return json("fuzz-password-1234");
    case "name":
      return json(`Fuzz ${context.unique()}`);
    case "username":
      return json(`fuzz_${context.unique()}`);
    case "image":
    case "logo":
      return json("https://example.com/a.png");
    case "callbackURL":
    case "errorCallbackURL":
    case "newUserCallbackURL":
    case "redirectTo":
      return json("/dashboard");
    case "provider":
      return json("github");
    case "providerId":
      return json("credential");
    case "idToken":
      return json({ token: "not-a-jwt", nonce: "n" });
    case "scopes":
      return json(["email"]);
    case "phoneNumber":
      return json("+14155550123");
    case "code":
    case "otp":
      return json("123456");
    case "type":
      return json("sign-in");
    case "role":
      return json("user");
    case "userId":
      return json(context.victimId);
    case "memberIdOrEmail":
      return json(context.victimEmail);
    case "organizationId":
      return json(context.organizationId);
    case "slug":
    case "organizationSlug":
      return json(`fuzz-${context.unique()}`);
    case "banExpiresIn":
      return "60";
    case "permissions":
    case "permission":
      return json({ user: ["list"] });
    case "data":
      return path === "/organization/update" ? json({ name: "Renamed" }) : json({});
    case "metadata":
      return json({ plan: "free" });
    default:
      return json(`fuzz-${name}`); // tokens, ids, reasons: a string that refers to nothing
  }
}
