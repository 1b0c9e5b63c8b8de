/** fetch helpers: JSON in and out, errors as ApiError carrying status and the server's code. */

import type {
  AgeBand,
  Conversation,
  Counselor,
  Presence,
  StartedConversation,
  Topic,
  VisitorStatus,
} from "./protocol";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${code}`);
  }
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function requestJson<T>(url: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, {
    method: opts.method ?? "GET",
    headers,
    credentials: "same-origin",
    cache: "no-store",
    body: opts.body === undefined ? null : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const body = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    throw new ApiError(res.status, typeof body.code === "string" ? body.code : "http_error", body);
  }
  return data as T;
}

// Visitor

export function getVisitorStatus(link: string): Promise<VisitorStatus> {
  return requestJson(`/api/visitor/status?link=${encodeURIComponent(link)}`);
}

export interface StartRequest {
  link_code?: string;
  language?: string;
  age_band?: AgeBand;
  topic?: Topic;
}

export function startConversation(body: StartRequest): Promise<StartedConversation> {
  return requestJson("/api/visitor/conversations", { method: "POST", body });
}

// Console

export interface Session {
  counselor: Counselor;
  csrf_token: string;
}

/**
 * Console API bound to one session's CSRF token. A 401 on anything but sign-in calls
 * `onUnauthorized` (the page goes back to the sign-in form).
 */
export class ConsoleApi {
  private csrf = "";

  constructor(private readonly onUnauthorized: () => void) {}

  private async call<T>(url: string, opts: RequestOptions = {}): Promise<T> {
    const unsafe = (opts.method ?? "GET") !== "GET";
    const headers: Record<string, string> = unsafe ? { "X-CSRF-Token": this.csrf } : {};
    try {
      return await requestJson<T>(url, { ...opts, headers });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.onUnauthorized();
      throw err;
    }
  }

  private keep(session: Session): Session {
    this.csrf = session.csrf_token;
    return session;
  }

  async login(username: string, password: string, totp?: string): Promise<Session> {
    const body = totp ? { username, password, totp } : { username, password };
    return this.keep(await requestJson<Session>("/api/console/login", { method: "POST", body }));
  }

  /** The current session, or null when not signed in. */
  async me(): Promise<Session | null> {
    try {
      return this.keep(await requestJson<Session>("/api/console/me"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.call("/api/console/logout", { method: "POST" });
    } finally {
      this.csrf = "";
    }
  }

  setPresence(status: Presence): Promise<{ status: Presence }> {
    return this.call("/api/console/presence", { method: "PUT", body: { status } });
  }

  claim(id: string): Promise<Conversation> {
    return this.call(`/api/console/conversations/${encodeURIComponent(id)}/claim`, { method: "POST" });
  }

  release(id: string): Promise<Conversation> {
    return this.call(`/api/console/conversations/${encodeURIComponent(id)}/release`, { method: "POST" });
  }

  close(id: string): Promise<Conversation> {
    return this.call(`/api/console/conversations/${encodeURIComponent(id)}/close`, { method: "POST" });
  }
}
