/** One statistics answer: key figures, bar charts per period, the link/space table and the breakdowns. */

import { useI18n } from "../i18n";
import { reportStrings } from "../report/strings";
import { BarChart } from "./BarChart";
import { formatDuration, formatNumber, periodLabel } from "./format";
import { breakdown, conversion, perPeriod, type Share } from "./stats";
import type { StatRow, Stats } from "./types";

export function StatsView({ stats }: { stats: Stats }) {
  const { t, lang } = useI18n();
  const o = t.outreach;
  const all = stats.overall;
  const periods = perPeriod(stats);
  const labels = periods.map((p) => periodLabel(p.period, stats.group, lang));
  const hours = (n: number) => formatNumber(n, lang, 1);
  const figures: [string, string, string][] = [
    ["opened", o.figures.opened, String(all.opened)],
    ["started", o.figures.started, String(all.started)],
    ["answered", o.figures.answered, String(all.answered)],
    ["abandoned", o.figures.abandoned, String(all.abandoned)],
    ["blocked", o.figures.blocked, String(all.blocked)],
    ["wait-median", o.figures.waitMedian, formatDuration(all.wait_median_s)],
    ["wait-p90", o.figures.waitP90, formatDuration(all.wait_p90_s)],
    ["duration-median", o.figures.durationMedian, formatDuration(all.duration_median_s)],
    ["counselor-hours", o.figures.counselorHours, hours(stats.counselor_hours)],
  ];
  return (
    <div class="stats-view" data-testid="stats-view" data-from={stats.from} data-to={stats.to}>
      <h4 class="visually-hidden">{o.keyFigures}</h4>
      <dl class="kpis">
        {figures.map(([key, label, value]) => (
          <div key={key} class="kpi">
            <dt>{label}</dt>
            <dd data-testid={`kpi-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <div class="charts">
        <BarChart
          id="chart-conversations"
          title={o.chartConversations}
          labels={labels}
          series={[
            { label: o.figures.answered, cls: "s-answered", values: periods.map((p) => p.answered) },
            { label: o.figures.abandoned, cls: "s-abandoned", values: periods.map((p) => p.abandoned) },
            { label: o.figures.blocked, cls: "s-blocked", values: periods.map((p) => p.blocked) },
          ]}
        />
        <BarChart id="chart-opens" title={o.chartOpens} labels={labels} series={[{ label: o.figures.opened, cls: "s-opened", values: periods.map((p) => p.opened) }]} />
        <BarChart
          id="chart-hours"
          title={o.chartHours}
          labels={labels}
          format={hours}
          whole={false}
          series={[{ label: o.figures.counselorHours, cls: "s-hours", values: periods.map((p) => p.counselorHours) }]}
        />
      </div>
      {stats.by !== "none" && <KeyTable stats={stats} />}
      <div class="breakdowns">
        <Breakdown id="language" title={o.breakdowns.language} shares={breakdown(all.language, withUnknown(t.languages, o.unknown))} />
        <Breakdown id="age-band" title={o.breakdowns.age_band} shares={breakdown(all.age_band, withUnknown(t.ages, o.unknown))} />
        <Breakdown id="topic" title={o.breakdowns.topic} shares={breakdown(all.topic, withUnknown(t.topics, o.unknown))} />
        <Breakdown id="tags" title={o.breakdowns.tags} shares={breakdown(all.tags, stats.tag_names, all.started)} empty={all.started ? o.noTags : undefined} />
        {(["helped", "again", "found"] as const).map((question) => (
          <Breakdown
            key={question}
            id={`feedback-${question}`}
            title={reportStrings[lang].questions[question]}
            shares={breakdown(answersTo(all.feedback ?? {}, question), reportStrings[lang].answers)}
            empty={reportStrings[lang].feedbackAnswered + ": 0"}
          />
        ))}
      </div>
    </div>
  );
}

const withUnknown = (names: Record<string, string>, unknown: string): Record<string, string> => ({ ...names, unknown });

/** One question's answers ("helped:yes" → "yes") out of the feedback counts. */
function answersTo(feedback: Record<string, number>, question: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, count] of Object.entries(feedback)) if (key.startsWith(`${question}:`)) out[key.slice(question.length + 1)] = count;
  return out;
}

function KeyTable({ stats }: { stats: Stats }) {
  const { t, lang } = useI18n();
  const o = t.outreach;
  const name = (row: StatRow) => row.label ?? (row.key === null ? (stats.by === "link" ? o.withoutLink : o.withoutSpace) : `#${row.key}`);
  return (
    <section aria-labelledby="key-table-heading">
      <h4 id="key-table-heading">{o.perKey[stats.by === "link" ? "link" : "space"]}</h4>
      <div class="table-scroll">
        <table class="admin-table" data-testid="stats-key-table">
          <thead>
            <tr>
              <th scope="col">{o.bys[stats.by]}</th>
              <th scope="col" class="num">
                {o.figures.opened}
              </th>
              <th scope="col" class="num">
                {o.figures.started}
              </th>
              <th scope="col" class="num">
                {o.figures.answered}
              </th>
              <th scope="col" class="num">
                {o.figures.abandoned}
              </th>
              <th scope="col" class="num">
                {o.figures.blocked}
              </th>
              <th scope="col" class="num">
                {o.figures.waitMedian}
              </th>
              <th scope="col" class="num">
                {o.conversion}
              </th>
              <th scope="col" class="num">
                {reportStrings[lang].feedbackAnswered}
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.totals.map((row) => {
              const rate = conversion(row.opened, row.started);
              return (
                <tr key={String(row.key)} data-testid="stats-key-row" data-key={row.key ?? "none"}>
                  <th scope="row">{name(row)}</th>
                  <td class="num" data-testid="stats-key-opened">
                    {row.opened}
                  </td>
                  <td class="num" data-testid="stats-key-started">
                    {row.started}
                  </td>
                  <td class="num">{row.answered}</td>
                  <td class="num">{row.abandoned}</td>
                  <td class="num">{row.blocked}</td>
                  <td class="num">{formatDuration(row.wait_median_s)}</td>
                  <td class="num">{rate === null ? "–" : `${rate} %`}</td>
                  <td class="num" data-testid="stats-key-feedback">
                    {row.feedback?.answered ?? 0}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Breakdown({ id, title, shares, empty }: { id: string; title: string; shares: Share[]; empty?: string | undefined }) {
  const { t } = useI18n();
  const o = t.outreach;
  return (
    <section class="breakdown" aria-labelledby={`breakdown-${id}-heading`}>
      <h4 id={`breakdown-${id}-heading`}>{title}</h4>
      {shares.length === 0 ? (
        <p class="hint">{empty ?? o.noConversations}</p>
      ) : (
        <table class="admin-table" data-testid={`breakdown-${id}`}>
          <thead>
            <tr>
              <th scope="col">{title}</th>
              <th scope="col" class="num">
                {o.count}
              </th>
              <th scope="col" class="num">
                {o.share}
              </th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.key} data-key={s.key}>
                <th scope="row">{s.label}</th>
                <td class="num">{s.count}</td>
                <td class="num">{s.percent} %</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
