// Reading one-time codes from a server's outbox for the OTP scenario groups (phone number, email OTP).
// Our sender may deliver through a queue, so a step waits briefly for a message newer than the one seen before.

/** The newest outbox message of a kind for an address that differs from `previous`, or undefined after ~2 s. */
export async function nextMessage(t, kind, to, previous) {
  const seen = JSON.stringify(previous);
  for (let i = 0; i < 40; i++) {
    const m = t.message(kind, to);
    if (m && JSON.stringify(m) !== seen) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

/**
 * Sends one recorded step that should mail a code and returns that code ("000000" when nothing arrived, so the
 * following steps still run and show the failure as a difference).
 */
export async function stepWithCode(t, kind, to, send) {
  const before = t.message(kind, to);
  await send();
  return (await nextMessage(t, kind, to, before))?.otp ?? "000000";
}

/** A six-digit code that differs from `code` in every digit (never accidentally right). */
export const wrongCode = (code) => code.replace(/\d/g, (d) => String((Number(d) + 5) % 10));
