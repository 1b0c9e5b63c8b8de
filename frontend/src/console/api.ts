/** The console's HTTP API, bound to one session's CSRF token (console bundle only). */

import { ApiError, requestJson, type RequestOptions } from "../shared/api";
import type { Conversation, Counselor, Note, Presence } from "../shared/protocol";
import type {
  AdminUser,
  CannedReply,
  Colleague,
  NewUser,
  OpeningException,
  Schedule,
  ServiceSettings,
  Supervision,
  Tag,
  UserChanges,
  WeeklyRow,
  WrapUp,
} from "./types";

export interface Session {
  counselor: Counselor;
  csrf_token: string;
  /** TOTP is mandatory and this account has none yet: the session may only enrol (and sign out). */
  totp_enrolment_required?: boolean;
  /** After signing in with a recovery code. */
  recovery_codes_left?: number;
}

/** The second factor sent with the password, when the server asked for one. */
export type SecondFactor = { totp: string } | { recovery_code: string };

export interface SignInOptions {
  password: boolean;
  oidc: boolean;
  totp_required: boolean;
}

export interface Enrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

interface Items<T> {
  items: T[];
}

const conv = (id: string, action: string) => `/api/console/conversations/${encodeURIComponent(id)}/${action}`;

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

  private keep(session: Session): Session {
    this.csrf = session.csrf_token;
    return session;
  }

  async login(username: string, password: string, second?: SecondFactor): Promise<Session> {
    const body = { username, password, ...second };
    return this.keep(await requestJson<Session>("/api/console/login", { method: "POST", body }));
  }

  /** After e-ID, an account with two-step sign-in enters its code (the provider did not do MFA). */
  async oidcSecondFactor(second: SecondFactor): Promise<Session> {
    return this.keep(await requestJson<Session>("/api/console/oidc/second-factor", { method: "POST", body: { ...second } }));
  }

  signInOptions(): Promise<SignInOptions> {
    return requestJson("/api/console/sign-in-options");
  }

  enrolTotp(): Promise<Enrolment> {
    return this.call("/api/console/totp/enrol", { method: "POST" });
  }

  confirmTotp(code: string): Promise<{ recovery_codes: string[]; counselor: Counselor }> {
    return this.call("/api/console/totp/confirm", { method: "POST", body: { code } });
  }

  /** Every other session ends; this one gets a new CSRF token. */
  async changePassword(current: string, next: string): Promise<Session> {
    return this.keep(await this.call<Session>("/api/console/password", { method: "POST", body: { current, new: next } }));
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
    return this.call(conv(id, "claim"), { method: "POST" });
  }

  release(id: string): Promise<Conversation> {
    return this.call(conv(id, "release"), { method: "POST" });
  }

  close(id: string, wrapUp?: WrapUp): Promise<Conversation> {
    return this.call(conv(id, "close"), wrapUp ? { method: "POST", body: wrapUp } : { method: "POST" });
  }

  /** To a colleague (who must accept) or, with `to` null, back to the queue. */
  transfer(id: string, to: number | null, note?: string): Promise<Conversation> {
    return this.call(conv(id, "transfer"), { method: "POST", body: note ? { to, note } : { to } });
  }

  accept(id: string): Promise<Conversation> {
    return this.call(conv(id, "accept"), { method: "POST" });
  }

  takeOver(id: string): Promise<Conversation> {
    return this.call(conv(id, "take-over"), { method: "POST" });
  }

  setUrgent(id: string, urgent: boolean): Promise<Conversation> {
    return this.call(conv(id, "urgent"), { method: "POST", body: { urgent } });
  }

  block(id: string, hours?: number): Promise<Conversation> {
    return this.call(conv(id, "block"), hours ? { method: "POST", body: { hours } } : { method: "POST" });
  }

  async notes(id: string): Promise<Note[]> {
    return (await this.call<Items<Note>>(conv(id, "notes"))).items;
  }

  addNote(id: string, body: string, kind: "note" | "whisper" = "note"): Promise<Note> {
    return this.call(conv(id, "notes"), { method: "POST", body: { body, kind } });
  }

  async canned(language: string): Promise<CannedReply[]> {
    return (await this.call<Items<CannedReply>>(`/api/console/canned?language=${encodeURIComponent(language)}`)).items;
  }

  async tags(): Promise<Tag[]> {
    return (await this.call<Items<Tag>>("/api/console/tags")).items;
  }

  async colleagues(): Promise<Colleague[]> {
    return (await this.call<Items<Colleague>>("/api/console/colleagues")).items;
  }

  supervision(): Promise<Supervision> {
    return this.call("/api/console/supervision");
  }

  schedule(): Promise<Schedule> {
    return this.call("/api/console/schedule");
  }
}

/** The admin routes (`/api/admin/*`), over a signed-in ConsoleApi. */
export class AdminApi {
  constructor(private readonly api: ConsoleApi) {}

  async users(): Promise<AdminUser[]> {
    return (await this.api.call<Items<AdminUser>>("/api/admin/users")).items;
  }

  createUser(body: NewUser): Promise<AdminUser> {
    return this.api.call("/api/admin/users", { method: "POST", body });
  }

  changeUser(id: number, body: UserChanges): Promise<AdminUser> {
    return this.api.call(`/api/admin/users/${id}`, { method: "PATCH", body });
  }

  settings(): Promise<ServiceSettings> {
    return this.api.call("/api/admin/settings");
  }

  saveSettings(body: Partial<ServiceSettings>): Promise<ServiceSettings> {
    return this.api.call("/api/admin/settings", { method: "PUT", body });
  }

  saveWeek(weekly: WeeklyRow[]): Promise<Schedule> {
    return this.api.call("/api/admin/schedule", { method: "PUT", body: { weekly } });
  }

  addException(body: OpeningException): Promise<Schedule> {
    return this.api.call("/api/admin/schedule/exceptions", { method: "POST", body });
  }

  deleteException(day: string): Promise<Schedule> {
    return this.api.call(`/api/admin/schedule/exceptions/${encodeURIComponent(day)}`, { method: "DELETE" });
  }

  async tags(): Promise<Tag[]> {
    return (await this.api.call<Items<Tag>>("/api/admin/tags")).items;
  }

  createTag(name: string): Promise<Tag> {
    return this.api.call("/api/admin/tags", { method: "POST", body: { name } });
  }

  updateTag(id: number, body: { name?: string; active?: boolean }): Promise<Tag> {
    return this.api.call(`/api/admin/tags/${id}`, { method: "PUT", body });
  }

  async canned(): Promise<CannedReply[]> {
    return (await this.api.call<Items<CannedReply>>("/api/admin/canned")).items;
  }

  createCanned(body: { keyword: string; language: string; body: string }): Promise<CannedReply> {
    return this.api.call("/api/admin/canned", { method: "POST", body });
  }

  updateCanned(id: number, body: { keyword?: string; language?: string; body?: string }): Promise<CannedReply> {
    return this.api.call(`/api/admin/canned/${id}`, { method: "PUT", body });
  }

  deleteCanned(id: number): Promise<void> {
    return this.api.call(`/api/admin/canned/${id}`, { method: "DELETE" });
  }
}
