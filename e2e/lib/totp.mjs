// TOTP codes as an authenticator app computes them from an otpauth:// URI (two-factor tests).
import { generate } from "otplib";

/** The code an authenticator app shows for the URI's secret, `steps` periods from now. */
export function totpCode(totpURI, steps = 0) {
  const secret = new URL(totpURI).searchParams.get("secret");
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });
}
