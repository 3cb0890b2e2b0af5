// A real SMTP server for end-to-end mail tests: `smtp-server` on a free loopback port, plain SMTP (no TLS,
// as SMTP_SECURITY=none), AUTH optional. Every message is parsed with `mailparser` and kept in memory;
// tests wait for the mail sent to an address and read the links out of it, as a user would.
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

/**
 * Starts the server. Options: `users` ({name: password}) to check AUTH PLAIN/LOGIN credentials (AUTH stays
 * optional: a client that does not authenticate may still send); `port` to listen on (default: a free one);
 * `ackDelayMs` to hold each DATA acknowledgement that long (a slow server: a send stays under way meanwhile).
 * Returns { host, port, messages, waitFor(to), mailsTo(to), close() }.
 */
export async function startSmtp(options = {}) {
  const users = options.users ?? {};
  const messages = [];
  const waiters = new Set();
  const authAttempts = [];

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    banner: "e2e test SMTP",
    onAuth(auth, session, callback) {
      const ok = Object.hasOwn(users, auth.username) && users[auth.username] === auth.password;
      authAttempts.push({ method: auth.method, username: auth.username, ok });
      if (!ok) return callback(new Error("Invalid username or password"));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("error", callback);
      stream.on("end", async () => {
        try {
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          const message = {
            raw: raw.toString("utf8"),
            parsed,
            subject: parsed.subject,
            text: parsed.text,
            html: parsed.html,
            from: parsed.from?.value?.[0],
            envelope: {
              mailFrom: session.envelope.mailFrom && session.envelope.mailFrom.address,
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
            },
            user: session.user,
            secure: session.secure,
            receivedAt: Date.now(),
          };
          messages.push(message);
          for (const w of [...waiters]) {
            if (w.match(message)) {
              waiters.delete(w);
              clearTimeout(w.timer);
              w.resolve(message);
            }
          }
          // Acknowledge only once the message is stored: when the sender's DATA completes, a test sees the mail.
          if (options.ackDelayMs) await new Promise((r) => setTimeout(r, options.ackDelayMs));
          callback();
        } catch (e) {
          callback(e);
        }
      });
    },
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", () => {}); // a client dropping the connection must not crash the test process
  const { port } = server.server.address();

  const isTo = (address) => (m) => m.envelope.rcptTo.some((r) => r.toLowerCase() === address.toLowerCase());

  return {
    host: "127.0.0.1",
    port,
    messages,
    authAttempts,
    /** Every message delivered to an address so far (envelope recipient), oldest first. */
    mailsTo(address) {
      return messages.filter(isTo(address));
    },
    /**
     * The nth message (1-based, default the first) delivered to an address: at once if it is already here,
     * else when it arrives, failing after timeoutMs.
     */
    waitFor(address, { nth = 1, timeoutMs = 10_000 } = {}) {
      const existing = messages.filter(isTo(address))[nth - 1];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const w = {
          match: (m) => isTo(address)(m) && messages.filter(isTo(address)).length >= nth,
          resolve,
          timer: setTimeout(() => {
            waiters.delete(w);
            reject(new Error(`no mail to ${address} within ${timeoutMs} ms (received: ${messages.map((m) => m.envelope.rcptTo.join(",")).join("; ") || "none"})`));
          }, timeoutMs),
        };
        waiters.add(w);
      });
    },
    close() {
      for (const w of waiters) clearTimeout(w.timer);
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The http(s) links in a mail's text part, in order. */
export function textLinks(message) {
  return [...(message.text ?? "").matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
}

/** The href targets in a mail's HTML part, with HTML entities decoded. */
export function htmlLinks(message) {
  const decode = (s) =>
    s
      .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  return [...String(message.html || "").matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1]));
}
