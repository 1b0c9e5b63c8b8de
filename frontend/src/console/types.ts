/** Console-only resources of docs/protocol.md ("Duty and routing"); the server is the authority. */

import type { AgeBand, Conversation, Presence, QueueItem, Role, StaffTitle, Topic } from "../shared/protocol";

export interface CannedReply {
  id: number;
  keyword: string;
  language: string;
  body: string;
  shared: boolean;
}

export interface Tag {
  id: number;
  name: string;
  active: boolean;
}

export interface Colleague {
  id: number;
  alias: string;
  display_name: string;
}

export interface WrapUp {
  tags: number[];
  age_band?: AgeBand;
  topic?: Topic;
}

export interface ActiveChat extends Conversation {
  last_activity_at: string | null;
}

export interface StaffOnDuty {
  id: number;
  alias: string;
  display_name: string;
  role: Role;
  presence: Presence;
  capacity: number;
  active: number;
}

export interface Supervision {
  waiting: QueueItem[];
  active: ActiveChat[];
  counselors: StaffOnDuty[];
}

export interface AdminUser {
  id: number;
  username: string;
  display_name: string;
  alias: string;
  role: Role;
  presence: Presence;
  capacity: number;
  is_active: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  alias: string;
  display_name?: string;
  capacity?: number;
}

export type UserChanges = Partial<Pick<AdminUser, "role" | "alias" | "display_name" | "capacity" | "is_active">> & {
  password?: string;
};

export type RoutingMode = "manual" | "auto";
export interface ServiceSettings {
  staff_title: StaffTitle;
  routing_mode: RoutingMode;
  accept_timeout_s: number;
  presence_grace_s: number;
  visitor_grace_s: number;
  idle_close_minutes: number;
  block_hours: number;
  default_capacity: number;
  mailbox_enabled: boolean;
  mailbox_answer_weekdays: number;
  mailbox_offer_wait_minutes: number;
}

export interface WeeklyRow {
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  opens: string;
  closes: string;
}

export interface OpeningException {
  day: string;
  closed: boolean;
  opens: string | null;
  closes: string | null;
  note?: string;
}

export interface Schedule {
  timezone?: string;
  weekly: WeeklyRow[];
  exceptions: OpeningException[];
  status?: { open: boolean; scheduled_open?: boolean; available?: number; next_opening: string | null };
}

export const ROLES: readonly Role[] = ["counselor", "supervisor", "admin"];

export function isSupervisor(role: Role): boolean {
  return role === "supervisor" || role === "admin";
}
