/** Calendar days as the server speaks them (`YYYY-MM-DD`), periods for the dashboard, and query strings. */

export type Group = "day" | "week" | "month";
export type By = "link" | "space" | "none";
export const GROUPS: readonly Group[] = ["day", "week", "month"];
export const BYS: readonly By[] = ["none", "link", "space"];
/** The longest period the statistics accept (days, both ends included). */
export const MAX_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A Date's local calendar day as `YYYY-MM-DD`. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Milliseconds at UTC midnight of a `YYYY-MM-DD` day, or null when it is not a real day. */
export function dayMs(day: string): number | null {
  const m = DAY_RE.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

export function isDay(day: string): boolean {
  return dayMs(day) !== null;
}

/** The day `n` days after (or before, for negative n) a valid day. */
export function addDays(day: string, n: number): string {
  const ms = dayMs(day);
  if (ms === null) throw new Error(`not a day: ${day}`);
  return new Date(ms + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  const x = dayMs(a);
  const y = dayMs(b);
  if (x === null || y === null) throw new Error(`not a day: ${a} / ${b}`);
  return Math.round((y - x) / DAY_MS);
}

export interface Range {
  from: string;
  to: string;
}

/** The last `days` days up to and including `today`. */
export function lastDays(today: string, days: number): Range {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** Why the statistics would refuse a period (the server's codes), or null when it is fine. */
export function rangeProblem(range: Range, maxDays = MAX_PERIOD_DAYS): "invalid_request" | "invalid_period" | "period_too_long" | null {
  if (!isDay(range.from) || !isDay(range.to)) return "invalid_request";
  const span = daysBetween(range.from, range.to);
  if (span < 0) return "invalid_period";
  if (span + 1 > maxDays) return "period_too_long";
  return null;
}

/** The first day of the period a day falls in: weeks start on Monday, months on the 1st (as the server). */
export function periodStart(day: string, group: Group): string {
  if (group === "day") return day;
  if (group === "month") return `${day.slice(0, 8)}01`;
  const weekday = (new Date(dayMs(day) ?? 0).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}

/** Every period's first day from the one holding `from` through `to`. */
export function periodsIn(range: Range, group: Group): string[] {
  const found: string[] = [];
  let current = periodStart(range.from, group);
  while (current <= range.to) {
    found.push(current);
    if (group === "day") current = addDays(current, 1);
    else if (group === "week") current = addDays(current, 7);
    else {
      const [y, m] = [Number(current.slice(0, 4)), Number(current.slice(5, 7))];
      current = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
    }
  }
  return found;
}

/** ISO 8601 week number of a day. */
export function isoWeek(day: string): number {
  const ms = dayMs(day);
  if (ms === null) throw new Error(`not a day: ${day}`);
  const d = new Date(ms);
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = ms + (3 - weekday) * DAY_MS; // the week belongs to the year of its Thursday
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday - yearStart) / (7 * DAY_MS));
}

/** A query string from the set values (`?a=1&b=x`, or "" when none). */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}
