/** The dashboard's view of a statistics answer: totals per period (all keys together) and breakdown lists. */

import type { Stats } from "./types";

export interface PeriodTotals {
  period: string;
  opened: number;
  started: number;
  answered: number;
  abandoned: number;
  blocked: number;
  counselorHours: number;
}

/** One entry per period of the answer (empty ones too), summing the rows of every link or space. */
export function perPeriod(stats: Stats): PeriodTotals[] {
  const byPeriod = new Map<string, PeriodTotals>();
  for (const p of stats.periods) {
    byPeriod.set(p.period, {
      period: p.period,
      opened: 0,
      started: 0,
      answered: 0,
      abandoned: 0,
      blocked: 0,
      counselorHours: p.counselor_hours,
    });
  }
  for (const row of stats.rows) {
    if (!row.period) continue;
    let entry = byPeriod.get(row.period);
    if (!entry) {
      entry = { period: row.period, opened: 0, started: 0, answered: 0, abandoned: 0, blocked: 0, counselorHours: 0 };
      byPeriod.set(row.period, entry);
    }
    entry.opened += row.opened;
    entry.started += row.started;
    entry.answered += row.answered;
    entry.abandoned += row.abandoned;
    entry.blocked += row.blocked;
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

export interface Share {
  key: string;
  label: string;
  count: number;
  /** Whole percent of the total (0 when the total is 0). */
  percent: number;
}

/**
 * A breakdown as rows, largest first, "unknown" last; labels from `names` (else the key itself). Percent of `total`
 * when given (tags: several per conversation), else of the counts' sum.
 */
export function breakdown(counts: Record<string, number>, names: Record<string, string> = {}, of?: number): Share[] {
  const total = of ?? Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .map(([key, count]) => ({ key, label: names[key] ?? key, count, percent: total ? Math.round((100 * count) / total) : 0 }))
    .sort((a, b) => Number(a.key === "unknown") - Number(b.key === "unknown") || b.count - a.count || a.label.localeCompare(b.label));
}

/** Share of opens that became a conversation, in whole percent; null without opens. */
export function conversion(opened: number, started: number): number | null {
  return opened > 0 ? Math.round((100 * started) / opened) : null;
}
