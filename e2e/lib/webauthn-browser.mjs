// Passkeys in a real browser: Debian's Chromium (playwright-core) with a virtual WebAuthn authenticator from the DevTools
// protocol, and the official Better Auth client (better-auth/client + passkeyClient, which drives
// @simplewebauthn/browser) bundled for the page. WebAuthn needs a secure context: pages are opened on
// http://localhost:<port>, and both servers use "localhost" as relying party.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { repoRoot } from "./servers.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

/** The origin a browser uses for a server started on 127.0.0.1 (a secure context, and a valid RP ID). */
export const localhostOrigin = (server) => server.baseURL.replace("127.0.0.1", "localhost");

let bundle;
/**
 * The official client for the browser, as one script defining window.makeAuthClient(baseURL). Bundled with the
 * esbuild the hosted pages' build installs (web/node_modules, set up by scripts/setup.sh), from e2e's better-auth 1.2.12.
 */
export async function officialClientBundle() {
  if (bundle) return bundle;
  const esbuild = createRequire(path.join(repoRoot, "web/package.json"))("esbuild");
  const result = await esbuild.build({
    stdin: {
      contents: `import { createAuthClient } from "better-auth/client";
        import { passkeyClient } from "better-auth/client/plugins";
        window.makeAuthClient = (baseURL) => createAuthClient({ baseURL, plugins: [passkeyClient()] });`,
      resolveDir: path.join(repoRoot, "e2e"),
      loader: "js",
    },
    bundle: true, format: "iife", platform: "browser", write: false, logLevel: "silent",
  });
  bundle = result.outputFiles[0].text;
  return bundle;
}

/**
 * A page with a virtual platform authenticator (resident keys, user verification, presence simulated) that holds its
 * credentials across navigations in the tab. `authenticator.replace()` swaps it for an empty one.
 */
export async function passkeyPage(browser, viewport = { width: 1000, height: 760 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const add = async () => (await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      automaticPresenceSimulation: true },
  })).authenticatorId;
  const authenticator = {
    id: await add(),
    async credentials() { return (await cdp.send("WebAuthn.getCredentials", { authenticatorId: this.id })).credentials; },
    async replace() { await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: this.id }); this.id = await add(); },
  };
  return { context, page, authenticator };
}

/** Opens a neutral page of `origin` (`pathname` answers without a page script) and loads the official client into it. */
export async function openClient(page, origin, pathname) {
  await page.goto(origin + pathname);
  await page.evaluate(await officialClientBundle());
  assert(await page.evaluate(() => typeof window.makeAuthClient === "function"), "the client bundle did not load");
}

function assert(ok, message) { if (!ok) throw new Error(message); }

/** Runs `fn(client, arg)` in the page with an official client for `baseURL`; returns what it returns (JSON-able). */
export function withClient(page, baseURL, fn, arg) {
  return page.evaluate(async ([source, base, a]) => {
    const client = window.makeAuthClient(base);
    // eslint-disable-next-line no-new-func
    return new Function("client", "arg", `return (${source})(client, arg);`)(client, a);
  }, [fn.toString(), baseURL, arg]);
}

export function screenshotDir() {
  const dir = path.join(repoRoot, ".artifacts/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
