/** A bar chart as inline SVG that prints well (black outlines, no colour needed); "<3" bars are drawn hatched
 * at a fixed small height and labelled, never as a number. The figures are also in a table below it. */

import { niceMax } from "../outreach/chart";

export type Shown = number | string;
export interface Bar {
  label: string;
  value: Shown;
}

const W = 640;
const H = 200;
const LEFT = 40;
const BOTTOM = 28;
const TOP = 14;

export function ReportChart({ id, title, bars, summary }: { id: string; title: string; bars: Bar[]; summary: string }) {
  const numbers = bars.map((b) => (typeof b.value === "number" ? b.value : 0));
  const top = niceMax(Math.max(2, ...numbers));
  const plotH = H - BOTTOM - TOP;
  const slot = (W - LEFT - 8) / Math.max(1, bars.length);
  const width = Math.max(4, Math.min(48, slot * 0.7));
  const every = Math.max(1, Math.ceil(bars.length / 12));
  return (
    <figure class="report-chart" data-testid={id}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} class="report-svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1f" stroke-width="2" />
          </pattern>
        </defs>
        {[0, top / 2, top].map((v) => {
          const y = TOP + plotH - (v / top) * plotH;
          return (
            <g key={v} class="report-grid">
              <line x1={LEFT} x2={W - 4} y1={y} y2={y} stroke="#8a8d93" stroke-width="0.5" />
              <text x={LEFT - 4} y={y + 4} text-anchor="end" font-size="11">
                {Number.isInteger(v) ? v : v.toFixed(1)}
              </text>
            </g>
          );
        })}
        {bars.map((b, i) => {
          const hidden = typeof b.value !== "number";
          const h = hidden ? Math.min(plotH, (2 / top) * plotH) : ((b.value as number) / top) * plotH;
          const x = LEFT + i * slot + (slot - width) / 2;
          const y = TOP + plotH - h;
          return (
            <g key={b.label + i}>
              <rect x={x} y={y} width={width} height={h} fill={hidden ? `url(#${id}-hatch)` : "#1b4f4d"} stroke="#1b1b1f" stroke-width="1" />
              {hidden && (
                <text x={x + width / 2} y={y - 3} text-anchor="middle" font-size="10">
                  {"<3"}
                </text>
              )}
              {(i % every === 0 || i === bars.length - 1) && (
                <text x={x + width / 2} y={H - 10} text-anchor="middle" font-size="10">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
