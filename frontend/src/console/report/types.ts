/** The answer of GET /api/console/report (app/stats/period.py): counts under 3 arrive as "<3". */

export type Shown = number | string;

export interface PeriodReport {
  from: string;
  to: string;
  group: "day" | "week" | "month";
  spaces: string[];
  register: {
    spaces_watched: number;
    by_category: Record<string, number>;
    ads_over_time: { period: string; ads_seen: number }[];
    checks: number;
    ads_new: number;
    ads_removed: number;
    indicators: Record<string, number>;
  };
  contacts: { total: number; answered: number; by_channel: Record<string, number> };
  links: { label: string; space: string | null; opened: number; started: Shown; answered: Shown }[];
  chats: {
    started: Shown;
    answered: Shown;
    abandoned: Shown;
    blocked: Shown;
    wait_median_s: Shown | null;
    wait_p90_s: Shown | null;
    duration_median_s: Shown | null;
    age_band: Record<string, Shown>;
    topic: Record<string, Shown>;
    language: Record<string, Shown>;
    tags: Record<string, Shown>;
    over_time: { period: string; started: Shown }[];
  };
  feedback: { answered: Shown; helped: Record<string, Shown>; again: Record<string, Shown>; found: Record<string, Shown> };
  referrals: { name: string; count: Shown }[];
  counselor_hours: { total: number; over_time: { period: string; hours: number }[] };
}
