/** A space's ads over time as a small inline SVG (drawn from the data here), with a title and the numbers as a table. */

import { useI18n } from "../i18n";
import { dayFractions, FRAME, labelWidth, linePath, spacedLabels, valueAxis, xAt, yOf } from "./chart";
import { periodLabel } from "./format";
import type { TrendPoint } from "./types";

type Key = "ads_seen" | "ads_new" | "ads_removed";
const SERIES: Key[] = ["ads_seen", "ads_new", "ads_removed"];

export function TrendChart({ name, points }: { name: string; points: TrendPoint[] }) {
  const { t, lang } = useI18n();
  const o = t.outreach;
  const f = FRAME;
  if (points.length === 0)
    return (
      <p class="hint" data-testid="trend-empty">
        {o.trendEmpty}
      </p>
    );
  const axis = valueAxis(Math.max(...points.map((p) => Math.max(p.ads_seen, p.ads_new ?? 0, p.ads_removed ?? 0))));
  const top = axis.top;
  const days = points.map((p) => p.day);
  const xs = dayFractions(days);
  const dayLabels = days.map((d) => periodLabel(d, "day", lang));
  const shown = spacedLabels(
    xs.map((x) => xAt(x)),
    labelWidth(Math.max(...dayLabels.map((l) => l.length))),
  );
  const first = points[0];
  const last = points[points.length - 1];
  const summary = first && last ? o.trendSummary(first.day, last.day, points.length, first.ads_seen, last.ads_seen) : "";
  const label = { ads_seen: o.adsSeen, ads_new: o.adsNew, ads_removed: o.adsRemoved };
  return (
    <figure class="chart" data-testid="trend-chart">
      <figcaption>
        <strong id="trend-title">{o.trendTitle(name)}</strong>
        <ul class="legend" aria-hidden="true">
          {SERIES.map((k) => (
            <li key={k}>
              <span class={`swatch line-${k}`} />
              {label[k]}
            </li>
          ))}
        </ul>
      </figcaption>
      <svg
        class="chart-svg"
        data-testid="trend-svg"
        viewBox={`0 0 ${f.width} ${f.height}`}
        role="img"
        aria-labelledby="trend-svg-title trend-svg-desc"
      >
        <title id="trend-svg-title">{o.trendTitle(name)}</title>
        <desc id="trend-svg-desc">{summary}</desc>
        {axis.ticks.map((v) => (
          <g key={v} class="grid">
            <line x1={f.left} x2={f.width - f.right} y1={yOf(v, top)} y2={yOf(v, top)} />
            <text x={f.left - 6} y={yOf(v, top) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        {points.map((p, i) =>
          shown[i] ? (
            <text key={p.day} class="axis-label" x={xAt(xs[i] ?? 0.5)} y={f.height - 8} text-anchor="middle">
              {dayLabels[i]}
            </text>
          ) : null,
        )}
        {SERIES.map((k) => (
          <g key={k} class={`series line-${k}`}>
            <path d={linePath(points.map((p) => p[k]), xs, top)} fill="none" />
            {points.map((p, i) => {
              const v = p[k];
              return v === null ? null : <circle key={p.day} cx={xAt(xs[i] ?? 0.5)} cy={yOf(v, top)} r={k === "ads_seen" ? 4 : 3} />;
            })}
          </g>
        ))}
      </svg>
      <details class="chart-table">
        <summary>{o.showAsTable}</summary>
        <table class="admin-table" data-testid="trend-table">
          <caption class="visually-hidden">{o.trendTitle(name)}</caption>
          <thead>
            <tr>
              <th scope="col">{o.day}</th>
              <th scope="col" class="num">
                {o.adsSeen}
              </th>
              <th scope="col" class="num">
                {o.adsNew}
              </th>
              <th scope="col" class="num">
                {o.adsRemoved}
              </th>
              <th scope="col" class="num">
                {o.indicatorCount}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <th scope="row" class="date">
                  {p.day}
                </th>
                <td class="num">{p.ads_seen}</td>
                <td class="num">{p.ads_new ?? "–"}</td>
                <td class="num">{p.ads_removed ?? "–"}</td>
                <td class="num">{p.indicators}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
