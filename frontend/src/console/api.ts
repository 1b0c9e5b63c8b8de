/** The console's HTTP API, bound to one session's CSRF token (console bundle only). */

import { ApiError, requestApi, requestJson, urlOf, type Answer, type Call, type Method, type PathsWith, type RequestOptions, type Body, type Schema } from "../shared/api";
import type { Conversation, Note, Presence } from "../shared/protocol";
import type {
  AdminUser,
  CannedReply,
  Colleague,
  NewException,
  NewUser,
  Schedule,
  ServiceSettings,
  Supervision,
  Tag,
  UserChanges,
  WeeklyRow,
  WrapUp,
} from "./types";

/** A signed-in session: `totp_enrolment_required` when TOTP is mandatory and the account has none yet (it may only
 * enrol and sign out); `recovery_codes_left` after signing in with a recovery code. */
export type Session = Schema<"SignedInPublic">;

/** The second factor sent with the password, when the server asked for one. */
export type SecondFactor = { totp: string } | { recovery_code: string };

export type SignInOptions = Schema<"SignInOptionsPublic">;
export type Enrolment = Schema<"TotpEnrolmentPublic">;

const CONV = "/api/console/conversations/{conversation_id}";
type ConvAction = "claim" | "release" | "close" | "transfer" | "accept" | "take-over" | "urgent" | "block";

/** A 401 on anything but sign-in calls `onUnauthorized` (the page goes back to the sign-in form). */
export class ConsoleApi {
  private csrf = "";

  constructor(private readonly onUnauthorized: () => void) {}

  async call<T>(url: string, opts: RequestOptions = {}): Promise<T> {
    const unsafe = (opts.method ?? "GET") !== "GET";
    const headers: Record<string, string> = unsafe ? { "X-CSRF-Token": this.csrf } : {};
    try {
      return await requestJson<T>(url, { ...opts, headers });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.onUnauthorized();
      throw err;
    }
  }

  /** `call` typed by the schema: the path as /api/openapi.json names it, the answer as its route declares it. */
  op<M extends Method, P extends PathsWith<M>>(method: M, path: P, call: Call<P, M> = {}): Promise<Answer<P, M>> {
    return this.call(urlOf(path, call.params ?? {}, call.query ?? {}), { method: method.toUpperCase(), body: call.body });
  }

  /** A conversation's action (claim, close, …): the conversation as it is after it. */
  private act(id: string, action: ConvAction, body?: Body<`${typeof CONV}/${ConvAction}`, "post">): Promise<Conversation> {
    return this.op("post", `${CONV}/${action}`, { params: { conversation_id: id }, body });
  }

  private keep(session: Session): Session {
    this.csrf = session.csrf_token;
    return session;
  }

  async login(username: string, password: string, second?: SecondFactor): Promise<Session> {
    const body = { username, password, ...second };
    return this.keep(await requestApi("post", "/api/console/login", { body }));
  }

  /** After e-ID, an account with two-step sign-in enters its code (the provider did not do MFA). */
  async oidcSecondFactor(second: SecondFactor): Promise<Session> {
    return this.keep(await requestApi("post", "/api/console/oidc/second-factor", { body: { ...second } }));
  }

  signInOptions(): Promise<SignInOptions> {
    return requestApi("get", "/api/console/sign-in-options");
  }

  enrolTotp(): Promise<Enrolment> {
    return this.op("post", "/api/console/totp/enrol");
  }

  confirmTotp(code: string): Promise<Answer<"/api/console/totp/confirm", "post">> {
    return this.op("post", "/api/console/totp/confirm", { body: { code } });
  }

  /** Every other session ends; this one gets a new CSRF token. */
  async changePassword(current: string, next: string): Promise<Session> {
    return this.keep(await this.op("post", "/api/console/password", { body: { current, new: next } }));
  }

  /** A POST whose answer is a file (a transcript): its bytes and the server's file name. */
  async download(url: string): Promise<{ blob: Blob; filename: string | null }> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "X-CSRF-Token": this.csrf },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!res.ok) {
      let body: Record<string, unknown> = {};
      try {
        body = (await res.json()) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      if (res.status === 401) this.onUnauthorized();
      throw new ApiError(res.status, typeof body.code === "string" ? body.code : "http_error", body);
    }
    const match = /filename="?([^";]+)"?/.exec(res.headers.get("Content-Disposition") ?? "");
    return { blob: await res.blob(), filename: match?.[1] ?? null };
  }

  /** The current session, or null when not signed in. */
  async me(): Promise<Session | null> {
    try {
      return this.keep(await requestApi("get", "/api/console/me"));
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
    return this.op("put", "/api/console/presence", { body: { status } });
  }

  claim(id: string): Promise<Conversation> {
    return this.act(id, "claim");
  }

  release(id: string): Promise<Conversation> {
    return this.act(id, "release");
  }

  close(id: string, wrapUp?: WrapUp): Promise<Conversation> {
    return this.act(id, "close", wrapUp);
  }

  /** To a colleague (who must accept) or, with `to` null, back to the queue. */
  transfer(id: string, to: number | null, note?: string): Promise<Conversation> {
    return this.act(id, "transfer", note ? { to, note } : { to });
  }

  accept(id: string): Promise<Conversation> {
    return this.act(id, "accept");
  }

  takeOver(id: string): Promise<Conversation> {
    return this.act(id, "take-over");
  }

  setUrgent(id: string, urgent: boolean): Promise<Conversation> {
    return this.act(id, "urgent", { urgent });
  }

  block(id: string, hours?: number): Promise<Conversation> {
    return this.act(id, "block", hours ? { hours } : undefined);
  }

  async notes(id: string): Promise<Note[]> {
    return (await this.op("get", `${CONV}/notes`, { params: { conversation_id: id } })).items;
  }

  addNote(id: string, body: string, kind: "note" | "whisper" = "note"): Promise<Note> {
    return this.op("post", `${CONV}/notes`, { params: { conversation_id: id }, body: { body, kind } });
  }

  async canned(language: string): Promise<CannedReply[]> {
    return (await this.op("get", "/api/console/canned", { query: { language } })).items;
  }

  async tags(): Promise<Tag[]> {
    return (await this.op("get", "/api/console/tags")).items;
  }

  async colleagues(): Promise<Colleague[]> {
    return (await this.op("get", "/api/console/colleagues")).items;
  }

  supervision(): Promise<Supervision> {
    return this.op("get", "/api/console/supervision");
  }

  schedule(): Promise<Schedule> {
    return this.op("get", "/api/console/schedule");
  }
}

/** The admin routes (`/api/admin/*`), over a signed-in ConsoleApi. */
export class AdminApi {
  constructor(private readonly api: ConsoleApi) {}

  async users(): Promise<AdminUser[]> {
    return (await this.api.op("get", "/api/admin/users")).items;
  }

  createUser(body: NewUser): Promise<AdminUser> {
    return this.api.op("post", "/api/admin/users", { body });
  }

  changeUser(id: number, body: UserChanges): Promise<AdminUser> {
    return this.api.op("patch", "/api/admin/users/{user_id}", { params: { user_id: id }, body });
  }

  settings(): Promise<ServiceSettings> {
    return this.api.op("get", "/api/admin/settings");
  }

  saveSettings(body: Partial<ServiceSettings>): Promise<ServiceSettings> {
    return this.api.op("put", "/api/admin/settings", { body });
  }

  saveWeek(weekly: WeeklyRow[]): Promise<Schedule> {
    return this.api.op("put", "/api/admin/schedule", { body: { weekly } });
  }

  addException(body: NewException): Promise<Schedule> {
    return this.api.op("post", "/api/admin/schedule/exceptions", { body });
  }

  deleteException(day: string): Promise<Schedule> {
    return this.api.op("delete", "/api/admin/schedule/exceptions/{day}", { params: { day } });
  }

  async tags(): Promise<Tag[]> {
    return (await this.api.op("get", "/api/admin/tags")).items;
  }

  createTag(name: string): Promise<Tag> {
    return this.api.op("post", "/api/admin/tags", { body: { name } });
  }

  updateTag(id: number, body: { name?: string; active?: boolean }): Promise<Tag> {
    return this.api.op("put", "/api/admin/tags/{tag_id}", { params: { tag_id: id }, body });
  }

  async canned(): Promise<CannedReply[]> {
    return (await this.api.op("get", "/api/admin/canned")).items;
  }

  createCanned(body: { keyword: string; language: string; body: string }): Promise<CannedReply> {
    return this.api.op("post", "/api/admin/canned", { body });
  }

  updateCanned(id: number, body: { keyword?: string; language?: string; body?: string }): Promise<CannedReply> {
    return this.api.op("put", "/api/admin/canned/{reply_id}", { params: { reply_id: id }, body });
  }

  deleteCanned(id: number): Promise<void> {
    return this.api.call(`/api/admin/canned/${id}`, { method: "DELETE" });
  }
}
