// A real OpenID Connect provider on loopback (oauth2-mock-server) for social sign-in tests: it signs in whichever
// user the test names next and consents at once, like a user clicking "Allow". Our server points at it through the
// generic OIDC variables (OIDC_PROVIDER_ID, OIDC_DISCOVERY_URL, ...).
import assert from "node:assert/strict";
import { OAuth2Server } from "oauth2-mock-server";
import { freePort } from "./servers.mjs";

export async function startMockOidc() {
  const idp = new OAuth2Server();
  await idp.issuer.keys.generate("RS256");
  await idp.start(await freePort(), "127.0.0.1");
  /** The user the provider signs in next (its ID tokens carry these claims). */
  let nextUser;
  idp.service.on("beforeTokenSigning", (token) => {
    Object.assign(token.payload, { sub: nextUser.sub, email: nextUser.email, email_verified: nextUser.verified ?? true, name: nextUser.name });
  });
  return {
    idp,
    /** @param {{sub:string,email:string,name:string,verified?:boolean}} user */
    signsInNext(user) {
      nextUser = user;
      return user;
    },
    /** The environment that configures our server's generic OIDC provider against this one. */
    serverEnv(providerId, clientId) {
      return {
        OIDC_PROVIDER_ID: providerId,
        OIDC_DISCOVERY_URL: `${idp.issuer.url}/.well-known/openid-configuration`,
        OIDC_CLIENT_ID: clientId,
        OIDC_CLIENT_SECRET: "e2e-secret",
      };
    },
    /**
     * The browser's round trip: open the authorization URL (the provider redirects straight back with a code), then
     * open the callback, which must start with `callbackPrefix`, with the jar's cookies. Returns the callback's answer.
     */
    async throughProvider(jar, authorizationURL, callbackPrefix) {
      const atProvider = await fetch(authorizationURL, { redirect: "manual" });
      assert.equal(atProvider.status, 302, "the provider redirects back");
      const callback = atProvider.headers.get("location");
      assert.ok(callback.startsWith(callbackPrefix), callback);
      return jar.fetch(callback, { redirect: "manual" });
    },
    stop: () => idp.stop(),
  };
}
