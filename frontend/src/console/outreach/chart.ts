/** Scales and shapes for the small inline-SVG charts (ticks from d3-array): pure, so they are tested. */

import { nice, range, tickIncrement, ticks as d3Ticks } from "d3-array";
import { daysBetween } from "./dates";

/** A value axis from 0: its top and its ticks. */
export interface Axis {
  top: number;
  ticks: number[];
}

/**
 * The value axis from d3-array's tick rules (steps of 1, 2 or 5 times a power of ten). Counts (`whole`) never get
 * fractional ticks: their step is at least 1. `format` drops ticks whose label repeats the one before (0.1 and 0.2
 * hours shown as "0" twice would read as a broken axis).
 */
export function valueAxis(max: number, whole = true, format: (n: number) => string = String, count = 4): Axis {
  const hi = Number.isFinite(max) && max > 0 ? max : 1;
  let top: number;
  let values: number[];
  if (whole) {
    const increment = tickIncrement(0, hi, count);
    const step = increment > 0 ? increment : 1; // a negative increment is a fraction of 1
    top = Math.max(step, Math.ceil(hi / step) * step);
    values = range(0, top + step / 2, step);
  } else {
    top = nice(0, hi, count)[1];
    values = d3Ticks(0, top, count);
  }
  const seen = new Set<string>();
  return {
    top,
    ticks: values.filter((v) => {
      const label = format(v);
      if (seen.has(label)) return false;
      seen.add(label);
      return true;
    }),
  };
}

/** The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above `max`; 1 for nothing to show.
 * (The period report's chart uses it; the console's charts take their axes from valueAxis.) */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    const nice = step * power;
    if (nice >= max - 1e-9) return nice;
  }
  return 10 * power;
}

/** The width an axis label of `chars` characters needs (11 px sans-serif, with a gap), in SVG units. */
export function labelWidth(chars: number): number {
  return chars * 7 + 10;
}

/**
 * Which labels at these x positions to show so that none overlap: the last always (the period's end), then
 * walking back, each one at least `width` from the last one kept.
 */
export function spacedLabels(xs: number[], width: number): boolean[] {
  const shown = xs.map(() => false);
  let kept = Number.POSITIVE_INFINITY;
  for (let i = xs.length - 1; i >= 0; i--) {
    const x = xs[i] ?? 0;
    if (kept - x >= width) {
      shown[i] = true;
      kept = x;
    }
  }
  return shown;
}

export interface Frame {
  width: number;
  height: number;
  /** Space for the axis labels: left, bottom, top, right. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

/** The trend chart (labels centred on the first and last day need room at both ends). */
export const FRAME: Frame = { width: 640, height: 220, left: 44, bottom: 28, top: 10, right: 28 };
/** The bar charts, two or three side by side: a narrower frame keeps their text readable. */
export const BAR_FRAME: Frame = { width: 460, height: 200, left: 40, bottom: 26, top: 10, right: 10 };

export function plotWidth(f: Frame): number {
  return f.width - f.left - f.right;
}

export function plotHeight(f: Frame): number {
  return f.height - f.top - f.bottom;
}

/** The y coordinate of a value on a 0..top axis. */
export function yOf(value: number, top: number, f: Frame = FRAME): number {
  const clamped = Math.max(0, Math.min(value, top));
  return f.top + plotHeight(f) * (1 - clamped / top);
}

export interface Segment {
  series: number;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Slot {
  index: number;
  x: number;
  width: number;
  /** Centre, for the label. */
  cx: number;
  segments: Segment[];
}

/**
 * Stacked bars: `series[s][i]` is series s at slot i (missing values count 0). Each slot gets an equal share of
 * the plot width with a gap; segments stack from the axis upwards in series order.
 */
export function stackedBars(series: number[][], top: number, f: Frame = FRAME): Slot[] {
  const count = Math.max(0, ...series.map((s) => s.length));
  if (count === 0) return [];
  const share = plotWidth(f) / count;
  const width = Math.max(1, share * 0.7);
  const slots: Slot[] = [];
  for (let i = 0; i < count; i++) {
    const x = f.left + share * i + (share - width) / 2;
    let base = 0;
    const segments: Segment[] = [];
    series.forEach((values, s) => {
      const value = Math.max(0, values[i] ?? 0);
      if (value === 0) return;
      const y0 = yOf(base, top, f);
      const y1 = yOf(base + value, top, f);
      segments.push({ series: s, value, x, y: y1, width, height: Math.max(0, y0 - y1) });
      base += value;
    });
    slots.push({ index: i, x, width, cx: x + width / 2, segments });
  }
  return slots;
}

/** Where each day sits along the time axis, 0 (the first) to 1 (the last); one day alone sits at 0.5. */
export function dayFractions(days: string[]): number[] {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const span = daysBetween(first, last);
  return days.map((d) => (span > 0 ? daysBetween(first, d) / span : 0.5));
}

/** The x coordinate of a 0..1 position along the plot. */
export function xAt(fraction: number, f: Frame = FRAME): number {
  return f.left + plotWidth(f) * fraction;
}

/** An SVG path through the values at their positions (0..1); null values break the line. "" when there is nothing. */
export function linePath(values: (number | null)[], positions: number[], top: number, f: Frame = FRAME): string {
  const parts: string[] = [];
  let pen = false;
  values.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    const x = xAt(positions[i] ?? 0.5, f).toFixed(1);
    const y = yOf(value, top, f).toFixed(1);
    parts.push(`${pen ? "L" : "M"}${x} ${y}`);
    pen = true;
  });
  return parts.join(" ");
}
