/** The period report: choose a period and spaces, read it, print it or save it as PDF (one A4 page per section). */

import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ConsoleApi } from "../api";
import { ErrorNote } from "../../shared/ErrorNote";
import { useI18n } from "../i18n";
import { OutreachApi } from "../outreach/api";
import { formatDuration, periodLabel } from "../outreach/format";
import { ReportChart, type Shown } from "./ReportChart";
import { reportStrings, type ReportStrings } from "./strings";
import type { Schema } from "../../shared/api";

/** The answer of GET /api/console/report (app/stats/period.py): counts under 3 arrive as "<3" (Shown). */
type PeriodReport = Schema<"PeriodReportPublic">;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The last full quarter before today: what a board usually asks for. */
function lastQuarter(today = new Date()): [string, string] {
  const q = Math.floor(today.getUTCMonth() / 3);
  const start = new Date(Date.UTC(today.getUTCFullYear(), (q - 1) * 3, 1));
  const end = new Date(Date.UTC(today.getUTCFullYear(), q * 3, 0));
  return [iso(start), iso(end)];
}

const shown = (v: Shown | null | undefined): string => (v === null || v === undefined ? "–" : String(v));
const duration = (v: Shown | null): string => (typeof v === "number" ? formatDuration(v) : shown(v));

export function ReportPage({ api }: { api: ConsoleApi }) {
  const { t, lang } = useI18n();
  const s = reportStrings[lang];
  const outreach = useMemo(() => new OutreachApi(api), [api]);
  const [[from, to], setPeriod] = useState<[string, string]>(lastQuarter);
  const [spaces, setSpaces] = useState<{ id: number; name: string }[]>([]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [report, setReport] = useState<PeriodReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    outreach.spaces(true).then(
      (list) => setSpaces(list.map((sp) => ({ id: sp.id, name: sp.name }))),
      () => setSpaces([]),
    );
  }, []);

  const load = async (e?: Event) => {
    e?.preventDefault();
    setLoading(true);
    setError(null);
    try {
      setReport(await api.op("get", "/api/console/report", { query: { from, to, space: chosen } }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <div class="report-page">
      <form class="admin-form report-form no-print" onSubmit={(e) => void load(e)}>
        <p class="hint">{s.intro}</p>
        <label for="report-from">{s.from}</label>
        <input id="report-from" type="date" data-testid="report-from" required value={from} onInput={(e) => setPeriod([e.currentTarget.value, to])} />
        <label for="report-to">{s.to}</label>
        <input id="report-to" type="date" data-testid="report-to" required value={to} onInput={(e) => setPeriod([from, e.currentTarget.value])} />
        <label for="report-spaces">{s.spaces}</label>
        <select
          id="report-spaces"
          multiple
          data-testid="report-spaces"
          size={Math.min(5, Math.max(2, spaces.length))}
          onChange={(e) => setChosen(Array.from(e.currentTarget.selectedOptions, (o) => Number(o.value)))}
        >
          {spaces.map((sp) => (
            <option key={sp.id} value={sp.id} selected={chosen.includes(sp.id)}>
              {sp.name}
            </option>
          ))}
        </select>
        <button type="submit" class="primary" data-testid="report-make" disabled={loading}>
          {s.make}
        </button>
        {report && (
          <button type="button" data-testid="report-print" onClick={() => window.print()}>
            {s.print}
          </button>
        )}
        {loading && <span role="status">{s.loading}</span>}
        <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} />
      </form>
      {report && <Report report={report} s={s} />}
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="report-section" data-testid={`report-${id}`} aria-labelledby={`report-h-${id}`}>
      <h4 id={`report-h-${id}`}>{title}</h4>
      {children}
    </section>
  );
}

function Figures({ items }: { items: [string, string, string][] }) {
  return (
    <dl class="report-figures">
      {items.map(([key, label, value]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd data-testid={`report-figure-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Counts({ id, title, counts, label = (k) => k, s }: { id: string; title: string; counts: Record<string, Shown>; label?: (k: string) => string; s: ReportStrings }) {
  const rows = Object.entries(counts);
  return (
    <table class="report-table" data-testid={`report-table-${id}`}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col" class="num">
            {s.count}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={2}>{s.none}</td>
          </tr>
        )}
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key === "unknown" ? s.unknown : label(key)}</th>
            <td class="num">{shown(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Report({ report: r, s }: { report: PeriodReport; s: ReportStrings }) {
  const { t, lang } = useI18n();
  const label = (p: string) => periodLabel(p, r.group, lang);
  const ages: Record<string, string> = t.ages;
  const topics: Record<string, string> = t.topics;
  const answer = (k: string) => s.answers[k] ?? k;
  return (
    <article class="period-report" data-testid="period-report" aria-labelledby="report-title">
      <header class="report-cover">
        <h3 id="report-title">{s.title}</h3>
        <p data-testid="report-period">{s.period(r.from, r.to)}</p>
        {r.spaces.length > 0 && <p>{s.onlySpaces(r.spaces.join(", "))}</p>}
        <aside class="report-caveat" data-testid="report-caveat">
          <h4>{s.caveatTitle}</h4>
          <p>{s.caveat}</p>
        </aside>
        <p class="hint">{s.generated(new Date().toISOString().slice(0, 10))}</p>
      </header>
      <Section id="register" title={s.sections.register}>
        <Figures
          items={[
            ["spaces", s.spacesWatched, String(r.register.spaces_watched)],
            ["checks", s.checks, String(r.register.checks)],
            ["ads-new", s.adsNew, String(r.register.ads_new)],
            ["ads-removed", s.adsRemoved, String(r.register.ads_removed)],
          ]}
        />
        <ReportChart
          id="report-chart-ads"
          title={s.adsOverTime}
          summary={s.adsOverTime}
          bars={r.register.ads_over_time.map((p) => ({ label: label(p.period), value: p.ads_seen }))}
        />
        <div class="report-columns">
          <Counts id="categories" title={s.byCategory} counts={r.register.by_category} s={s} />
          <Counts id="indicators" title={s.indicators} counts={r.register.indicators} s={s} />
        </div>
      </Section>
      <Section id="contacts" title={s.sections.contacts}>
        <Figures
          items={[
            ["contacts", s.contactsTotal, String(r.contacts.total)],
            ["contacts-answered", s.contactsAnswered, String(r.contacts.answered)],
          ]}
        />
        <Counts id="channels" title={s.byChannel} counts={r.contacts.by_channel} s={s} />
      </Section>
      <Section id="links" title={s.sections.links}>
        <table class="report-table" data-testid="report-table-links">
          <caption>{s.sections.links}</caption>
          <thead>
            <tr>
              <th scope="col">{s.link}</th>
              <th scope="col">{s.space}</th>
              <th scope="col" class="num">
                {s.opened}
              </th>
              <th scope="col" class="num">
                {s.started}
              </th>
              <th scope="col" class="num">
                {s.answered}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.links.length === 0 && (
              <tr>
                <td colSpan={5}>{s.none}</td>
              </tr>
            )}
            {r.links.map((l) => (
              <tr key={l.label}>
                <th scope="row">{l.label}</th>
                <td>{l.space ?? "–"}</td>
                <td class="num">{l.opened}</td>
                <td class="num">{shown(l.started)}</td>
                <td class="num">{shown(l.answered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section id="chats" title={s.sections.chats}>
        <Figures
          items={[
            ["started", s.started, shown(r.chats.started)],
            ["answered", s.answered, shown(r.chats.answered)],
            ["abandoned", s.abandoned, shown(r.chats.abandoned)],
            ["blocked", s.blocked, shown(r.chats.blocked)],
            ["wait-median", s.waitMedian, duration(r.chats.wait_median_s)],
            ["wait-p90", s.waitP90, duration(r.chats.wait_p90_s)],
            ["duration-median", s.durationMedian, duration(r.chats.duration_median_s)],
          ]}
        />
        <ReportChart
          id="report-chart-chats"
          title={s.startedOverTime}
          summary={s.startedOverTime}
          bars={r.chats.over_time.map((p) => ({ label: label(p.period), value: p.started }))}
        />
        <div class="report-columns">
          <Counts id="ages" title={s.ageBands} counts={r.chats.age_band} label={(k) => ages[k] ?? k} s={s} />
          <Counts id="topics" title={s.topics} counts={r.chats.topic} label={(k) => topics[k] ?? k} s={s} />
          <Counts id="tags" title={s.tags} counts={r.chats.tags} s={s} />
        </div>
      </Section>
      <Section id="feedback" title={s.sections.feedback}>
        <Figures items={[["feedback-answered", s.feedbackAnswered, shown(r.feedback.answered)]]} />
        <div class="report-columns">
          <Counts id="helped" title={s.questions.helped} counts={r.feedback.helped} label={answer} s={s} />
          <Counts id="again" title={s.questions.again} counts={r.feedback.again} label={answer} s={s} />
          <Counts id="found" title={s.questions.found} counts={r.feedback.found} label={answer} s={s} />
        </div>
      </Section>
      <Section id="referrals" title={s.sections.referrals}>
        <Counts id="referrals" title={s.cards} counts={Object.fromEntries(r.referrals.map((x) => [x.name, x.count]))} s={s} />
      </Section>
      <Section id="hours" title={s.sections.hours}>
        <Figures items={[["hours", s.hoursTotal, r.counselor_hours.total.toLocaleString(lang)]]} />
        <ReportChart
          id="report-chart-hours"
          title={s.hoursOverTime}
          summary={s.hoursOverTime}
          bars={r.counselor_hours.over_time.map((p) => ({ label: label(p.period), value: p.hours }))}
        />
      </Section>
    </article>
  );
}
