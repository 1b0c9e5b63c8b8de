/** Bars per period as a small inline SVG (stacked when there are several series), with the numbers as a table. */

import { useI18n } from "../i18n";
import { BAR_FRAME, labelWidth, spacedLabels, stackedBars, valueAxis, yOf } from "./chart";

export interface Series {
  label: string;
  /** CSS class giving the colour (see outreach.css). */
  cls: string;
  values: number[];
}

interface Props {
  id: string;
  title: string;
  labels: string[];
  series: Series[];
  /** Format numbers in the table and the axis (e.g. decimals for hours). */
  format?: (n: number) => string;
  /** Counts (the default) get whole-number ticks; hours may have fractions. */
  whole?: boolean;
}

export function BarChart({ id, title, labels, series, format = String, whole = true }: Props) {
  const { t } = useI18n();
  const f = BAR_FRAME;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const axis = valueAxis(Math.max(0, ...totals), whole, format);
  const top = axis.top;
  const slots = stackedBars(
    series.map((s) => s.values),
    top,
    f,
  );
  const shown = spacedLabels(
    slots.map((slot) => slot.cx),
    labelWidth(Math.max(0, ...labels.map((l) => l.length))),
  );
  const sum = totals.reduce((a, b) => a + b, 0);
  return (
    <figure class="chart" data-testid={id}>
      <figcaption>
        <strong id={`${id}-caption`}>{title}</strong>
        {series.length > 1 && (
          <ul class="legend" aria-hidden="true">
            {series.map((s) => (
              <li key={s.cls}>
                <span class={`swatch ${s.cls}`} />
                {s.label}
              </li>
            ))}
          </ul>
        )}
      </figcaption>
      <svg class="chart-svg" viewBox={`0 0 ${f.width} ${f.height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} data-testid={`${id}-svg`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{t.outreach.chartSummary(format(sum), labels.length)}</desc>
        {axis.ticks.map((v) => (
          <g key={v} class="grid">
            <line x1={f.left} x2={f.width - f.right} y1={yOf(v, top, f)} y2={yOf(v, top, f)} />
            <text x={f.left - 6} y={yOf(v, top, f) + 4} text-anchor="end">
              {format(v)}
            </text>
          </g>
        ))}
        {slots.map((slot) => (
          <g key={slot.index} data-period={labels[slot.index]}>
            {slot.segments.map((seg) => (
              <rect key={seg.series} class={`bar ${series[seg.series]?.cls ?? ""}`} x={seg.x} y={seg.y} width={seg.width} height={seg.height}>
                <title>{`${labels[slot.index] ?? ""}: ${series[seg.series]?.label ?? ""} ${format(seg.value)}`}</title>
              </rect>
            ))}
            {shown[slot.index] && (
              <text class="axis-label" x={slot.cx} y={f.height - 8} text-anchor="middle">
                {labels[slot.index]}
              </text>
            )}
          </g>
        ))}
      </svg>
      <details class="chart-table">
        <summary>{t.outreach.showAsTable}</summary>
        <table class="admin-table" data-testid={`${id}-table`}>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.outreach.period}</th>
              {series.map((s) => (
                <th key={s.cls} scope="col" class="num">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label + i}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.cls} class="num">
                    {format(s.values[i] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
