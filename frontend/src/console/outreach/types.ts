/** Outreach resources of docs/protocol.md ("Outreach and statistics"), named for the pages: aliases of the
 * server's models (src/api/schema.ts, generated), so the server is the authority. */

import type { Schema } from "../../shared/api";

export type ListItem = Schema<"ListItemPublic">;
export type Named = Schema<"NamedPublic">;
export type Observation = Schema<"ObservationPublic">;
export type Space = Schema<"SpacePublic">;

/** A new space (create); its changes are the same fields, each optional. */
export type SpaceFields = Schema<"SpaceCreate">;
export type ObservationFields = Schema<"ObservationCreate">;

export type TrendPoint = Schema<"TrendPointPublic">;
export type Trend = Schema<"TrendPublic">;

export type TemplateLanguage = "sv" | "en";
export const TEMPLATE_LANGUAGES: readonly TemplateLanguage[] = ["sv", "en"];
export type Template = Schema<"TemplatePublic">;

export type Link = Schema<"LinkPublic">;

export type Contact = Schema<"ContactPublic">;
export type Channel = Contact["channel"];
export const CHANNELS: readonly Channel[] = ["message", "comment", "post", "other"];

type StatsPublic = Schema<"StatsPublic">;
type StatRowPublic = Schema<"StatsRowPublic">;
/** A statistics row as the dashboard reads it: the visitors' answers (`feedback`) are read as optional. */
export type StatRow = Omit<StatRowPublic, "feedback"> & Partial<Pick<StatRowPublic, "feedback">>;
/** The dashboard's statistics: the server's answer without the referrals, which only the period report shows. */
export type Stats = Omit<StatsPublic, "rows" | "totals" | "overall" | "referrals"> & { rows: StatRow[]; totals: StatRow[]; overall: StatRow };
