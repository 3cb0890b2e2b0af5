// Links between the hosted pages keep the (server-checked) callbackURL, so a flow that passes through several pages
// still ends where the application asked.
import { DEFAULT_DESTINATION } from "./config";

export function pageHref(path: string, callbackURL: string | null, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (callbackURL) params.set("callbackURL", callbackURL);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export function goTo(url: string) {
  window.location.assign(url);
}

/** Where a completed sign-in goes: the checked callbackURL, else the signed-in view of the sign-in page. */
export function finishSignIn(callbackURL: string | null) {
  goTo(callbackURL ?? DEFAULT_DESTINATION);
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}
