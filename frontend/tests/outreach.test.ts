import { describe, expect, it } from "vitest";
import { dayFractions, FRAME, labelWidth, linePath, niceMax, plotHeight, spacedLabels, stackedBars, valueAxis, xAt, yOf } from "../src/console/outreach/chart";
import { addDays, daysBetween, isDay, isoDay, isoWeek, lastDays, periodsIn, periodStart, query, rangeProblem } from "../src/console/outreach/dates";
import { formatDuration, periodLabel } from "../src/console/outreach/format";
import { personalKind } from "../src/console/outreach/problem";
import { breakdown, conversion, perPeriod } from "../src/console/outreach/stats";
import type { StatRow, Stats } from "../src/console/outreach/types";

describe("days", () => {
  it("formats a local date and checks real days", () => {
    expect(isoDay(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("2026-1-5")).toBe(false);
    expect(isDay("")).toBe(false);
  });

  it("adds days across months, years and DST changes", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2026-10-24", 7)).toBe("2026-10-31");
    expect(daysBetween("2025-12-31", "2026-03-01")).toBe(60);
    expect(daysBetween("2026-03-01", "2026-02-01")).toBe(-28);
  });

  it("builds the last n days, today included", () => {
    expect(lastDays("2026-11-30", 30)).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(lastDays("2026-11-30", 1)).toEqual({ from: "2026-11-30", to: "2026-11-30" });
  });

  it("refuses periods the way the server does", () => {
    expect(rangeProblem({ from: "2026-11-01", to: "2026-11-30" })).toBeNull();
    expect(rangeProblem({ from: "2026-11-30", to: "2026-11-01" })).toBe("invalid_period");
    expect(rangeProblem({ from: "2025-01-01", to: "2026-01-02" })).toBe("period_too_long"); // 367 days
    expect(rangeProblem({ from: "2025-01-01", to: "2026-01-01" })).toBeNull(); // 366 days
    expect(rangeProblem({ from: "2025-01-01", to: "2025-12-31" })).toBeNull(); // 365
    expect(rangeProblem({ from: "2024-01-01", to: "2024-12-31" })).toBeNull(); // 366, a leap year
    expect(rangeProblem({ from: "", to: "2026-11-01" })).toBe("invalid_request");
  });

  it("starts weeks on Monday and months on the 1st, as the statistics do", () => {
    expect(periodStart("2026-11-15", "week")).toBe("2026-11-09"); // a Sunday
    expect(periodStart("2026-11-09", "week")).toBe("2026-11-09"); // a Monday
    expect(periodStart("2026-11-15", "month")).toBe("2026-11-01");
    expect(periodStart("2026-11-15", "day")).toBe("2026-11-15");
    expect(periodsIn({ from: "2026-11-04", to: "2026-11-20" }, "week")).toEqual(["2026-11-02", "2026-11-09", "2026-11-16"]);
    expect(periodsIn({ from: "2026-11-15", to: "2027-02-01" }, "month")).toEqual(["2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01"]);
    expect(periodsIn({ from: "2026-11-29", to: "2026-12-01" }, "day")).toEqual(["2026-11-29", "2026-11-30", "2026-12-01"]);
  });

  it("numbers ISO weeks", () => {
    expect(isoWeek("2026-01-01")).toBe(1); // a Thursday
    expect(isoWeek("2027-01-01")).toBe(53); // a Friday: the last week of 2026
    expect(isoWeek("2026-11-09")).toBe(46);
  });

  it("builds query strings from the set values only", () => {
    expect(query({ from: "2026-11-01", to: undefined, by: "link", empty: "" })).toBe("?from=2026-11-01&by=link");
    expect(query({ include_retired: undefined })).toBe("");
    expect(query({ q: "a&b" })).toBe("?q=a%26b");
  });
});

describe("chart scaling", () => {
  it("rounds the top of the axis up to a nice number", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(-3)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(12)).toBe(20);
    expect(niceMax(23)).toBe(25);
    expect(niceMax(100)).toBe(100);
    expect(niceMax(101)).toBe(200);
    expect(niceMax(0.3)).toBe(0.5);
  });

  it("gives counts whole-number ticks from d3-array, never fractions", () => {
    expect(valueAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(valueAxis(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(valueAxis(2).ticks).toEqual([0, 1, 2]);
    expect(valueAxis(3).ticks).toEqual([0, 1, 2, 3]);
    expect(valueAxis(20).ticks).toEqual([0, 5, 10, 15, 20]);
    const counts = valueAxis(25); // was 0, 6.25, 12.5, 18.75, 25
    expect(counts.ticks.every(Number.isInteger)).toBe(true);
    expect(counts.top).toBeGreaterThanOrEqual(25);
    const many = valueAxis(37); // was 37.5 at the top
    expect(many.ticks.every(Number.isInteger)).toBe(true);
    expect(many.top).toBeGreaterThanOrEqual(37);
  });

  it("never repeats a tick label (small hours shown with no decimals)", () => {
    const axis = valueAxis(0.3, false, (n) => n.toFixed(0));
    expect(axis.ticks.map((n) => n.toFixed(0))).toEqual(["0"]);
    const hours = valueAxis(0.3, false, (n) => n.toFixed(1));
    expect(new Set(hours.ticks.map((n) => n.toFixed(1))).size).toBe(hours.ticks.length);
  });

  it("keeps axis labels apart: the last always, none closer than a label's width", () => {
    const xs = Array.from({ length: 31 }, (_, i) => 40 + i * 13.7); // a month of days across the plot
    const shown = spacedLabels(xs, labelWidth(6));
    expect(shown[30]).toBe(true);
    const kept = xs.filter((_, i) => shown[i]);
    for (let i = 1; i < kept.length; i++) expect(kept[i]! - kept[i - 1]!).toBeGreaterThanOrEqual(labelWidth(6));
    expect(kept.length).toBeGreaterThan(3);
    expect(spacedLabels([10, 20, 30], 5)).toEqual([true, true, true]);
  });

  it("maps values onto the plot, clamped", () => {
    expect(yOf(0, 10)).toBe(FRAME.top + plotHeight(FRAME));
    expect(yOf(10, 10)).toBe(FRAME.top);
    expect(yOf(20, 10)).toBe(FRAME.top);
    expect(yOf(-1, 10)).toBe(FRAME.top + plotHeight(FRAME));
  });

  it("stacks bars from the axis up, skipping zero segments", () => {
    const slots = stackedBars([[2, 0], [1, 3]], 4);
    expect(slots).toHaveLength(2);
    const [first, second] = slots;
    expect(first?.segments.map((s) => s.series)).toEqual([0, 1]);
    const [a, b] = first?.segments ?? [];
    expect(a && b && Math.abs(a.y - (b.y + b.height))).toBeLessThan(1e-9); // b sits on top of a
    expect((a?.height ?? 0) + (b?.height ?? 0)).toBeCloseTo((plotHeight(FRAME) * 3) / 4);
    expect(second?.segments.map((s) => s.series)).toEqual([1]);
    expect(second?.segments[0]?.height).toBeCloseTo((plotHeight(FRAME) * 3) / 4);
    expect(stackedBars([], 1)).toEqual([]);
    expect((first?.x ?? 0) + (first?.width ?? 0)).toBeLessThan(second?.x ?? 0);
  });

  it("spaces trend points by date and breaks lines at gaps", () => {
    expect(dayFractions(["2026-11-01", "2026-11-02", "2026-11-11"])).toEqual([0, 0.1, 1]);
    expect(dayFractions(["2026-11-01"])).toEqual([0.5]);
    expect(dayFractions([])).toEqual([]);
    const path = linePath([1, null, 2, 3], [0, 0.25, 0.5, 1], 4);
    expect(path.split(" ").filter((p) => p.startsWith("M"))).toHaveLength(2);
    expect(path.startsWith(`M${xAt(0).toFixed(1)} `)).toBe(true);
    expect(linePath([null], [0.5], 1)).toBe("");
  });
});

const row = (over: Partial<StatRow>): StatRow => ({
  period: null,
  key: null,
  label: null,
  opened: 0,
  started: 0,
  answered: 0,
  abandoned: 0,
  blocked: 0,
  wait_median_s: null,
  wait_p90_s: null,
  waits_counted: 0,
  duration_median_s: null,
  durations_counted: 0,
  language: {},
  age_band: {},
  topic: {},
  tags: {},
  ...over,
});

describe("statistics view", () => {
  it("sums every key per period and keeps empty periods", () => {
    const stats: Stats = {
      from: "2026-11-01",
      to: "2026-11-03",
      group: "day",
      by: "link",
      periods: [
        { period: "2026-11-01", counselor_hours: 1.5 },
        { period: "2026-11-02", counselor_hours: 0 },
        { period: "2026-11-03", counselor_hours: 2 },
      ],
      rows: [
        row({ period: "2026-11-01", key: 1, opened: 4, started: 2, answered: 1, abandoned: 1 }),
        row({ period: "2026-11-01", key: null, started: 1, blocked: 1 }),
        row({ period: "2026-11-03", key: 2, opened: 1 }),
      ],
      totals: [],
      overall: row({}),
      counselor_hours: 3.5,
      tag_names: {},
      small_counts: "exact",
    };
    expect(perPeriod(stats)).toEqual([
      { period: "2026-11-01", opened: 4, started: 3, answered: 1, abandoned: 1, blocked: 1, counselorHours: 1.5 },
      { period: "2026-11-02", opened: 0, started: 0, answered: 0, abandoned: 0, blocked: 0, counselorHours: 0 },
      { period: "2026-11-03", opened: 1, started: 0, answered: 0, abandoned: 0, blocked: 0, counselorHours: 2 },
    ]);
  });

  it("orders breakdowns largest first with unknown last, and names them", () => {
    expect(breakdown({ unknown: 5, sv: 3, en: 2 }, { sv: "svenska" })).toEqual([
      { key: "sv", label: "svenska", count: 3, percent: 30 },
      { key: "en", label: "en", count: 2, percent: 20 },
      { key: "unknown", label: "unknown", count: 5, percent: 50 },
    ]);
    expect(breakdown({ "3": 1 }, { "3": "Boende" }, 4)).toEqual([{ key: "3", label: "Boende", count: 1, percent: 25 }]);
    expect(breakdown({})).toEqual([]);
    expect(conversion(0, 2)).toBeNull();
    expect(conversion(8, 2)).toBe(25);
  });

  it("formats durations and period labels", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(25)).toBe("25 s");
    expect(formatDuration(450)).toBe("7 min 30 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(3900)).toBe("1 h 5 min");
    expect(periodLabel("2026-11-09", "week", "sv")).toBe("v. 46");
    expect(periodLabel("2026-11-09", "week", "en")).toBe("wk 46");
    expect(periodLabel("2026-11-09", "day", "en")).toBe("9 Nov");
  });

  it("names the kind of personal data the server refused", () => {
    expect(personalKind("note looks like it contains a phone number: keep no contact details")).toBe("phone");
    expect(personalKind("notes looks like it contains an e-mail address: …")).toBe("email");
    expect(personalKind("note looks like it contains an @handle: …")).toBe("handle");
    expect(personalKind(undefined)).toBeNull();
  });
});
