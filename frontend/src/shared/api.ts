/** fetch helpers: JSON in and out, errors as ApiError carrying status and the server's code. */

import type { components, paths } from "../api/schema";

/** A model of the API by its name in /api/openapi.json (types generated into src/api/schema.ts by `make types`). */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];
/** Every code the API can answer with (the schema's ErrorCode), and a page's words for some of them. */
export type ErrorCode = Schema<"ErrorCode">;
export type CodeWords = Partial<Record<ErrorCode, string>>;

export type Method = "get" | "put" | "post" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;

/** The schema's paths that have a `M` operation. */
export type PathsWith<M extends Method> = { [P in keyof paths]: [Operation<P, M>] extends [never] ? never : P }[keyof paths];

/** What an operation answers on success (its 200 or 201 JSON), as the schema declares it. */
export type Answer<P extends keyof paths, M extends Method = "get"> =
  Operation<P, M> extends { responses: infer R } ? (R extends { 200: infer OK } ? Json<OK> : R extends { 201: infer Made } ? Json<Made> : never) : never;

/** The JSON body an operation takes. */
export type Body<P extends keyof paths, M extends Method> = Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

type Part<P extends keyof paths, M extends Method, K extends "path" | "query"> = Operation<P, M> extends { parameters: infer A } ? (A extends { [key in K]?: infer V } ? V : never) : never;

/** One call of an operation: the values of its path's `{names}`, its query, its body, each as the schema types them. */
export interface Call<P extends keyof paths, M extends Method> {
  params?: Part<P, M, "path">;
  query?: Part<P, M, "query">;
  body?: Body<P, M>;
}

/** The URL of a schema path: its `{names}` filled in (encoded), the query's values appended (a list as repeated keys; empty values left out). */
export function urlOf(template: string, params: object = {}, query: object = {}): string {
  const values = params as Record<string, string | number>;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined && one !== null && one !== "") search.append(key, String(one));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

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

/** requestJson typed by the schema: the path as /api/openapi.json names it, the answer as it declares it. */
export function requestApi<M extends Method, P extends PathsWith<M>>(method: M, path: P, call: Call<P, M> = {}, headers?: Record<string, string>): Promise<Answer<P, M>> {
  return requestJson(urlOf(path, call.params ?? {}, call.query ?? {}), { method: method.toUpperCase(), body: call.body, headers: headers ?? {} });
}

// Visitor

export type VisitorStatus = Schema<"VisitorStatusPublic">;
export type StartedConversation = Schema<"StartedPublic">;

export function getVisitorStatus(link: string): Promise<VisitorStatus> {
  return requestApi("get", "/api/visitor/status", { query: { link } });
}

export type StartRequest = Body<"/api/visitor/conversations", "post">;

export function startConversation(body: StartRequest): Promise<StartedConversation> {
  return requestApi("post", "/api/visitor/conversations", { body });
}

/** Reopens an ended conversation with its follow-up code: a new token and a new code. */
export function followUp(code: string): Promise<StartedConversation> {
  return requestApi("post", "/api/visitor/follow-up", { body: { code } });
}
