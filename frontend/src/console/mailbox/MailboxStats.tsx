/** The mailbox's figures for the last 30 days, per link, and the CSV export (small counts hidden there). */

import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n";
import { formatAge, type MailboxApi, type MailboxStatRow, type MailboxStats } from "./api";

const FIGURES = ["received", "answered", "answer_median_s", "answer_p90_s", "answers_read", "to_chat"] as const;

function cell(row: MailboxStatRow, key: (typeof FIGURES)[number]): string {
  const value = row[key];
  if (key === "answer_median_s" || key === "answer_p90_s") return value === null ? "–" : formatAge(value);
  return String(value);
}

function lastDays(days: number): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

export function MailboxStatsPanel({ mailbox }: { mailbox: MailboxApi }) {
  const { t } = useI18n();
  const m = t.mailbox;
  const [stats, setStats] = useState<MailboxStats | null>(null);
  const period = lastDays(30);
  useEffect(() => void mailbox.stats(period.from, period.to).then(setStats, () => undefined), []);
  if (!stats) return null;
  const rows = [...stats.totals];
  return (
    <details class="mailbox-stats" data-testid="mailbox-stats">
      <summary>{m.statsHeading}</summary>
      <div class="table-scroll">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{m.statsBy}</th>
              {FIGURES.map((f) => (
                <th key={f} scope="col" class="num">
                  {m.statsFigures[f]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(row.key)}>
                <th scope="row">{row.label ?? (row.key === null ? m.withoutLink : `#${row.key}`)}</th>
                {FIGURES.map((f) => (
                  <td key={f} class="num">
                    {cell(row, f)}
                  </td>
                ))}
              </tr>
            ))}
            <tr class="total">
              <th scope="row">Σ</th>
              {FIGURES.map((f) => (
                <td key={f} class="num" data-testid={`mailbox-stat-${f}`}>
                  {cell(stats.overall, f)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <a href={`/api/console/export/mailbox.csv?from=${period.from}&to=${period.to}&by=link`} download>
        {m.exportCsv}
      </a>
    </details>
  );
}
