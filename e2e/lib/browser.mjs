// One browser for the official client: its own cookie jar (Node's fetch keeps none), and a client from the given
// createAuthClient (better-auth/client 1.2.12, or better-auth-latest/client) whose every request goes through it.
import { CookieJar } from "./cookie-jar.mjs";

export function clientBrowser(createAuthClient, baseURL, clientOptions = {}) {
  const jar = new CookieJar(baseURL);
  const client = createAuthClient({ ...clientOptions, baseURL, fetchOptions: { ...clientOptions.fetchOptions, customFetchImpl: jar.fetch } });
  return { jar, client };
}
