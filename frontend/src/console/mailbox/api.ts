/** The console's mailbox API (app/mailbox/console_routes.py), over a signed-in ConsoleApi. */

import type { AgeBand, Topic } from "../../shared/protocol";
import type { ConsoleApi } from "../api";

export type ThreadState = "waiting" | "claimed" | "answered" | "closed";

export interface ThreadSummary {
  thread_id: string;
  state: ThreadState;
  waiting_since: string | null;
  wait_s: number | null;
  language: string | null;
  age_band: AgeBand | null;
  topic: Topic | null;
  link_label: string | null;
  letters: number;
  answers: number;
  counselor_id: number | null;
  counselor_alias: string | null;
  answered_by_id: number | null;
}

export interface StaffEntry {
  id: number;
  author: "visitor" | "counselor";
  alias: string | null;
  body: string;
  at: string;
}

export interface StaffNote {
  id: number;
  body: string;
  author_id: number | null;
  author_alias: string | null;
  at: string;
}

export interface ThreadDetail {
  thread: ThreadSummary;
  entries: StaffEntry[];
  notes: StaffNote[];
}

export interface AgeProfile {
  waiting: number;
  claimed: number;
  oldest_wait_s: number | null;
  over_promise: number;
  answer_weekdays: number;
  buckets: { key: string; count: number }[];
}

export interface MailboxStatRow {
  key: number | null;
  label: string | null;
  received: number;
  letters: number;
  answered: number;
  answers_read: number;
  to_chat: number;
  answer_median_s: number | null;
  answer_p90_s: number | null;
}

export interface MailboxStats {
  from: string;
  to: string;
  totals: MailboxStatRow[];
  overall: MailboxStatRow;
}

const path = (id: string, action = "") => `/api/console/mailbox/${encodeURIComponent(id)}${action ? `/${action}` : ""}`;

export class MailboxApi {
  constructor(private readonly api: ConsoleApi) {}

  async list(): Promise<ThreadSummary[]> {
    return (await this.api.call<{ items: ThreadSummary[] }>("/api/console/mailbox")).items;
  }

  thread(id: string): Promise<ThreadDetail> {
    return this.api.call(path(id));
  }

  claim(id: string): Promise<ThreadDetail> {
    return this.api.call(path(id, "claim"), { method: "POST" });
  }

  answer(id: string, body: string): Promise<ThreadDetail> {
    return this.api.call(path(id, "answer"), { method: "POST", body: { body } });
  }

  release(id: string): Promise<ThreadDetail> {
    return this.api.call(path(id, "release"), { method: "POST" });
  }

  close(id: string): Promise<ThreadDetail> {
    return this.api.call(path(id, "close"), { method: "POST" });
  }

  addNote(id: string, body: string): Promise<StaffNote> {
    return this.api.call(path(id, "notes"), { method: "POST", body: { body } });
  }

  profile(): Promise<AgeProfile> {
    return this.api.call("/api/console/mailbox/profile");
  }

  stats(from: string, to: string): Promise<MailboxStats> {
    return this.api.call(`/api/console/stats/mailbox?from=${from}&to=${to}&group=month&by=link`);
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
