/** The console's mailbox API (app/mailbox/console_routes.py), over a signed-in ConsoleApi. */

import type { Schema } from "../../shared/api";
import type { ConsoleApi } from "../api";

export type ThreadSummary = Schema<"ThreadSummaryPublic">;
export type ThreadState = ThreadSummary["state"];
export type StaffEntry = Schema<"StaffEntryPublic">;
export type StaffNote = Schema<"StaffNotePublic">;
export type ThreadDetail = Schema<"ThreadDetailPublic">;
export type AgeProfile = Schema<"AgeProfilePublic">;

export type MailboxStats = Schema<"MailboxStatsPublic">;
export type MailboxStatRow = Schema<"MailboxStatsRowPublic">;

const THREAD = "/api/console/mailbox/{thread_id}";

export class MailboxApi {
  constructor(private readonly api: ConsoleApi) {}

  async list(): Promise<ThreadSummary[]> {
    return (await this.api.op("get", "/api/console/mailbox")).items;
  }

  thread(id: string): Promise<ThreadDetail> {
    return this.api.op("get", THREAD, { params: { thread_id: id } });
  }

  claim(id: string): Promise<ThreadDetail> {
    return this.api.op("post", `${THREAD}/claim`, { params: { thread_id: id } });
  }

  answer(id: string, body: string): Promise<ThreadDetail> {
    return this.api.op("post", `${THREAD}/answer`, { params: { thread_id: id }, body: { body } });
  }

  release(id: string): Promise<ThreadDetail> {
    return this.api.op("post", `${THREAD}/release`, { params: { thread_id: id } });
  }

  close(id: string): Promise<ThreadDetail> {
    return this.api.op("post", `${THREAD}/close`, { params: { thread_id: id } });
  }

  addNote(id: string, body: string): Promise<StaffNote> {
    return this.api.op("post", `${THREAD}/notes`, { params: { thread_id: id }, body: { body } });
  }

  profile(): Promise<AgeProfile> {
    return this.api.op("get", "/api/console/mailbox/profile");
  }

  stats(from: string, to: string): Promise<MailboxStats> {
    return this.api.op("get", "/api/console/stats/mailbox", { query: { from, to, group: "month", by: "link" } });
  }
}

/** "2 d 3 h", "3 h 5 min", "12 min": letters wait days, not seconds. */
export function formatAge(seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
