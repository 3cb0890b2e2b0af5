// The configuration the server injects into every page (a JSON script element), so the pages need no extra
// request to know which sign-in methods exist, where the API lives and where to go afterwards.

export type PageName =
  | "sign-in"
  | "sign-up"
  | "two-factor"
  | "forgot-password"
  | "reset-password"
  | "verify-email"
  | "accept-invitation"
  | "console"
  | "passkeys"
  | "not-built";

export interface Features {
  emailAndPassword: boolean;
  signUp: boolean;
  username: boolean;
  emailOtp: boolean;
  magicLink: boolean;
  phoneNumber: boolean;
  twoFactor: boolean;
  organization: boolean;
  admin: boolean;
  /** A mail/SMS sender is configured, so links and codes can be delivered. */
  messaging: boolean;
  /** The passkey plugin is on: passkey sign-in and the /passkeys page. */
  passkey: boolean;
}

export interface SocialProvider {
  id: string;
  name: string;
}

export interface PageConfig {
  page: PageName;
  appName: string;
  /** Where the Better Auth API is mounted on this origin, e.g. /api/auth. */
  basePath: string;
  /** The callbackURL of the address, already checked by the server against the trusted origins; null when absent or refused. */
  callbackURL: string | null;
  /** True when the address carried a callbackURL the server refused. */
  callbackRejected: boolean;
  features: Features;
  socialProviders: SocialProvider[];
  minPasswordLength: number;
  maxPasswordLength: number;
  /** The invitation id of /accept-invitation/{id}. */
  invitationId: string | null;
}

/** Where a finished sign-in goes when the address named no (acceptable) callbackURL. */
export const DEFAULT_DESTINATION = "/sign-in";

export function readConfig(): PageConfig {
  const element = document.getElementById("ba-config");
  if (!element?.textContent) throw new Error("The page configuration is missing.");
  return JSON.parse(element.textContent) as PageConfig;
}
