// Sends fuzz cases to a running server over keep-alive fetch and judges each answer against the shapes Better Auth
// gives: never a 5xx; an error body, when there is one, is JSON {code?, message}; the few body-less errors are the
// statuses Better Auth answers without a body (401 from its session middleware, 404 from its router).

/** Error statuses Better Auth answers with an empty body: sessionMiddleware's 401 and the router's 404. */
export const EMPTY_BODY_ERROR_STATUSES = new Set([401, 404]);

function oversizedStream(total) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/**
 * Sends one case as `identity` (its headers: a session cookie or none). Network errors are returned, not thrown.
 * A request that meets a kept-alive connection the server has just closed (it closes one whose request body it
 * refused, e.g. after a 413) is sent once more on a fresh connection, as HTTP clients do.
 */
export async function sendCase(apiURL, fuzzCase, identity) {
  const answer = await sendOnce(apiURL, fuzzCase, identity);
  if (answer.status === 0 && !fuzzCase.streamBytes && CLOSED_MID_UPLOAD.has(answer.error)) return sendOnce(apiURL, fuzzCase, identity);
  return answer;
}

async function sendOnce(apiURL, fuzzCase, identity) {
  const headers = { ...identity.headers };
  if (fuzzCase.replaceCookie) delete headers.cookie;
  Object.assign(headers, fuzzCase.headers);
  if (fuzzCase.contentType) headers["content-type"] = fuzzCase.contentType;
  const init = { method: fuzzCase.method, headers, redirect: "manual" };
  if (fuzzCase.streamBytes) {
    init.body = oversizedStream(fuzzCase.streamBytes);
    init.duplex = "half";
  } else if (fuzzCase.body && fuzzCase.method !== "GET") {
    init.body = fuzzCase.body;
  }
  try {
    const res = await fetch(apiURL + fuzzCase.path + fuzzCase.query, init);
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", location: res.headers.get("location"), text };
  } catch (error) {
    return { status: 0, error: String(error?.cause?.code ?? error?.message ?? error) };
  }
}

/**
 * Connection errors a client may see when the server answers 413 and closes while the client is still uploading
 * (RFC 9112 §9.6 lets a server close instead of reading the rest of a body it refused).
 */
const CLOSED_MID_UPLOAD = new Set(["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"]);

/** Why an answer is not one Better Auth could give, or null when it is fine. */
export function judgeAnswer(fuzzCase, answer) {
  const { status, text, contentType } = answer;
  if (status === 0 && fuzzCase.streamBytes && CLOSED_MID_UPLOAD.has(answer.error)) return null;
  if (status === 0) return `no answer (${answer.error})`;
  if (fuzzCase.expectStatus && status !== fuzzCase.expectStatus) return `answered ${status}, not ${fuzzCase.expectStatus}`;
  // Kestrel refuses a path with an encoded NUL before any application code runs: 400, no body.
  if (status === 400 && text === "" && fuzzCase.path.includes("%00")) return null;
  if (status >= 500) return `server error ${status}`;
  if (status >= 300 && status < 400) return answer.location ? null : `redirect ${status} without Location`;
  const isJson = contentType.startsWith("application/json");
  if (status < 300) {
    if (contentType.startsWith("text/html") || text === "") return null;
    if (!isJson) return `2xx with content type ${contentType}`;
    try { JSON.parse(text); return null; } catch { return "2xx with a body that is not JSON"; }
  }
  if (text === "") return EMPTY_BODY_ERROR_STATUSES.has(status) ? null : `${status} with an empty body`;
  if (!isJson) return `${status} with content type ${contentType}`;
  let body;
  try { body = JSON.parse(text); } catch { return `${status} with a body that is not JSON`; }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return `${status} body is not an object`;
  if (typeof body.message !== "string") return `${status} body without a message`;
  if ("code" in body && typeof body.code !== "string") return `${status} body with a non-string code`;
  const extra = Object.keys(body).filter((k) => k !== "code" && k !== "message");
  return extra.length ? `${status} body with extra keys ${extra.join(",")}` : null;
}

/** Runs `cases` with at most `parallel` requests in flight; calls `onAnswer(case, answer)` for each. */
export async function runCases(apiURL, cases, identity, parallel, onAnswer) {
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const fuzzCase = cases[next++];
      onAnswer(fuzzCase, await sendCase(apiURL, fuzzCase, identity));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
