/** Outreach resources of docs/protocol.md ("Outreach and statistics"): aliases of the server's models
 * (src/api/schema.ts, generated) where the routes declare them; the server is the authority. */

import type { Schema } from "../../shared/api";

// TODO(schema): written by hand until its route declares an answer model.
export interface ListItem {
  id: number;
  name: string;
  active: boolean;
}

// TODO(schema): written by hand until its route declares an answer model.
export interface Named {
  id: number;
  name: string;
}

// TODO(schema): written by hand until its route declares an answer model.
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

// TODO(schema): written by hand until its route declares an answer model.
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

/** A new space (create); its changes are the same fields, each optional. */
export type SpaceFields = Schema<"SpaceCreate">;
export type ObservationFields = Schema<"ObservationCreate">;

// TODO(schema): written by hand until its route declares an answer model.
export interface TrendPoint {
  day: string;
  ads_seen: number;
  ads_new: number | null;
  ads_removed: number | null;
  indicators: number;
}

// TODO(schema): written by hand until its route declares an answer model.
export interface Trend {
  space_id: number;
  name: string;
  points: TrendPoint[];
}

export type TemplateLanguage = "sv" | "en";
export const TEMPLATE_LANGUAGES: readonly TemplateLanguage[] = ["sv", "en"];

// TODO(schema): written by hand until its route declares an answer model.
export interface Template {
  id: number;
  name: string;
  language: string;
  body: string;
  active: boolean;
  created_at: string;
}

// TODO(schema): written by hand until its route declares an answer model.
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

// TODO(schema): written by hand until its route declares an answer model.
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

type StatsPublic = Schema<"StatsPublic">;
type StatRowPublic = Schema<"StatsRowPublic">;
/** A statistics row as the dashboard reads it: the visitors' answers (`feedback`) are read as optional. */
export type StatRow = Omit<StatRowPublic, "feedback"> & Partial<Pick<StatRowPublic, "feedback">>;
/** The dashboard's statistics: the server's answer without the referrals, which only the period report shows. */
export type Stats = Omit<StatsPublic, "rows" | "totals" | "overall" | "referrals"> & { rows: StatRow[]; totals: StatRow[]; overall: StatRow };
