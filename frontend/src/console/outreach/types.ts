/** Outreach resources of docs/protocol.md ("Outreach and statistics"); the server is the authority. */

import type { By, Group } from "./dates";

export interface ListItem {
  id: number;
  name: string;
  active: boolean;
}

export interface Named {
  id: number;
  name: string;
}

export interface Observation {
  id: number;
  space_id: number;
  day: string;
  ads_seen: number;
  ads_new: number | null;
  ads_removed: number | null;
  note: string;
  indicators: Named[];
  observer_id: number | null;
  created_at: string;
}

export interface Space {
  id: number;
  name: string;
  category: Named | null;
  address: string;
  age_gate: boolean;
  notes: string;
  active: boolean;
  created_at: string;
  latest_observation: Observation | null;
  days_since_observed: number | null;
}

export interface SpaceFields {
  name: string;
  category_id: number;
  address: string;
  age_gate: boolean;
  notes: string;
}

export interface ObservationFields {
  day: string;
  ads_seen: number;
  ads_new: number | null;
  ads_removed: number | null;
  note: string;
  indicators: number[];
}

export interface TrendPoint {
  day: string;
  ads_seen: number;
  ads_new: number | null;
  ads_removed: number | null;
  indicators: number;
}

export interface Trend {
  space_id: number;
  name: string;
  points: TrendPoint[];
}

export type TemplateLanguage = "sv" | "en";
export const TEMPLATE_LANGUAGES: readonly TemplateLanguage[] = ["sv", "en"];

export interface Template {
  id: number;
  name: string;
  language: string;
  body: string;
  active: boolean;
  created_at: string;
}

export interface Link {
  id: number;
  code: string;
  url: string;
  label: string;
  space_id: number;
  space_name: string;
  template_id: number | null;
  text: string | null;
  active: boolean;
  created_at: string;
  retired_at: string | null;
  opens: number;
  conversations: number;
}

export const CHANNELS = ["message", "comment", "post", "other"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Contact {
  id: number;
  space_id: number;
  day: string;
  channel: Channel;
  template_id: number | null;
  answered: boolean;
  worker_id: number;
  created_at: string;
}

export interface StatRow {
  period: string | null;
  key: number | null;
  label: string | null;
  opened: number;
  started: number;
  answered: number;
  abandoned: number;
  blocked: number;
  wait_median_s: number | null;
  wait_p90_s: number | null;
  waits_counted: number;
  duration_median_s: number | null;
  durations_counted: number;
  language: Record<string, number>;
  age_band: Record<string, number>;
  topic: Record<string, number>;
  tags: Record<string, number>;
  /** The visitors' answers after the chat: "answered", and "helped:yes", "again:maybe", "found:our_link", … */
  feedback?: Record<string, number>;
}

export interface Stats {
  from: string;
  to: string;
  group: Group;
  by: By;
  periods: { period: string; counselor_hours: number }[];
  rows: StatRow[];
  totals: StatRow[];
  overall: StatRow;
  counselor_hours: number;
  tag_names: Record<string, string>;
  small_counts: string;
}
