/** Numbers, durations and period labels as staff read them on the outreach pages. */

import type { Lang } from "../../shared/i18n";
import { dayMs, type Group, isoWeek } from "./dates";

const locale = (lang: Lang): string => (lang === "sv" ? "sv-SE" : "en-GB");

export function formatNumber(value: number, lang: Lang, maxDecimals = 2): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: maxDecimals }).format(value);
}

/** "45 s", "7 min 30 s", "1 h 5 min"; "–" for none. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${Math.floor(s / 3600)} h`;
}

/** A period's short label on a chart axis: "9 nov.", "v. 46" / "wk 46", "nov. 2026". */
export function periodLabel(period: string, group: Group, lang: Lang): string {
  const ms = dayMs(period);
  if (ms === null) return period;
  if (group === "week") return `${lang === "sv" ? "v." : "wk"} ${isoWeek(period)}`;
  const options: Intl.DateTimeFormatOptions =
    group === "month" ? { month: "short", year: "numeric", timeZone: "UTC" } : { day: "numeric", month: "short", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale(lang), options).format(new Date(ms));
}
