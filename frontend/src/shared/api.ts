/** fetch helpers: JSON in and out, errors as ApiError carrying status and the server's code. */

import type { AgeBand, StartedConversation, Topic, VisitorStatus } from "./protocol";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
    /** Seconds from a Retry-After header (429, 503), when the server sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(`${status} ${code}`);
  }
}

export interface RequestOptions {
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
    const retry = Number.parseInt(res.headers.get("Retry-After") ?? "", 10);
    throw new ApiError(res.status, typeof body.code === "string" ? body.code : "http_error", body, Number.isFinite(retry) ? retry : null);
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

/** Reopens an ended conversation with its follow-up code: a new token and a new code. */
export function followUp(code: string): Promise<StartedConversation> {
  return requestJson("/api/visitor/follow-up", { method: "POST", body: { code } });
}
