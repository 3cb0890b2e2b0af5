// A small client for the Better Auth HTTP API on this origin (and the console's own API). Every call answers
// {data, error} like Better Auth's client; network failures become an error too, so pages never throw.

export interface ApiError {
  status: number;
  code?: string;
  message: string;
}

export type ApiResult<T> = { data: T; error: null } | { data: null; error: ApiError };

let apiBase = "/api/auth";

export function setApiBase(basePath: string) {
  apiBase = basePath.replace(/\/$/, "");
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(url: string, query?: Query): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${url}?${text}` : url;
}

async function request<T>(method: "GET" | "POST", url: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { data: null, error: { status: 0, message: "The server could not be reached. Check your connection and try again." } };
  }
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const payload = (json ?? {}) as { code?: string; message?: string };
    return { data: null, error: { status: response.status, code: payload.code, message: payload.message || describeStatus(response.status) } };
  }
  return { data: json as T, error: null };
}

function describeStatus(status: number): string {
  if (status === 401) return "You need to sign in.";
  if (status === 403) return "You are not allowed to do this.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many attempts. Wait a moment and try again.";
  return `The request failed (${status}).`;
}

/** GET under the auth API, e.g. authGet("/get-session"). */
export const authGet = <T>(path: string, query?: Query) => request<T>("GET", withQuery(apiBase + path, query));
/** POST a JSON body under the auth API. */
export const authPost = <T>(path: string, body: unknown = {}) => request<T>("POST", apiBase + path, body);
/** GET the server's console API (outside Better Auth's API). */
export const consoleGet = <T>(path: string, query?: Query) => request<T>("GET", withQuery("/console/api" + path, query));
/** POST to the server's console API. */
export const consolePost = <T>(path: string, body: unknown = {}) => request<T>("POST", "/console/api" + path, body);

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  image?: string | null;
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
  role?: string | null;
  banned?: boolean | null;
  banReason?: string | null;
  banExpires?: string | null;
  username?: string | null;
  twoFactorEnabled?: boolean | null;
  phoneNumber?: string | null;
}

export interface SessionRow {
  id: string;
  token: string;
  userId: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  impersonatedBy?: string | null;
  activeOrganizationId?: string | null;
}

export interface SessionWithUser {
  session: SessionRow;
  user: UserSummary;
}

export const getSession = () => authGet<SessionWithUser | null>("/get-session");
