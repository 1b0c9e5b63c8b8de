/** Statistics: choose a period, grouping and breakdown; see key figures, charts and tables; download CSV exports. */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../shared/api";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import { exportUrls, type OutreachApi } from "./api";
import { type By, BYS, type Group, GROUPS, isoDay, lastDays, rangeProblem } from "./dates";
import { outreachNote } from "./problem";
import { StatsView } from "./StatsView";
import type { Stats } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

export interface Query {
  from: string;
  to: string;
  group: Group;
  by: By;
}

const PRESETS = [7, 30, 90, 365] as const;

export function DashboardPage({ outreach }: { outreach: OutreachApi }) {
  const { t } = useI18n();
  const o = t.outreach;
  const initial: Query = { ...lastDays(isoDay(new Date()), 30), group: "day", by: "none" };
  const [draft, setDraft] = useState<Query>(initial);
  const [applied, setApplied] = useState<Query>(initial);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = async (q: Query) => {
    setLoading(true);
    await attempt(async () => setStats(await outreach.stats(q.from, q.to, q.group, q.by)), setError);
    setLoading(false);
  };
  useEffect(() => void load(applied), [applied]);

  const apply = (q: Query) => {
    const problem = rangeProblem(q);
    if (problem) {
      setError(new ApiError(422, problem, {}));
      return;
    }
    setApplied({ ...q });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    apply(draft);
  };
  const preset = (days: number) => {
    const q = { ...draft, ...lastDays(isoDay(new Date()), days) };
    setDraft(q);
    apply(q);
  };
  const field = <K extends keyof Query>(key: K, value: Query[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <div class="admin-page dashboard" data-testid="dashboard">
      <h3>{o.pages.dashboard}</h3>
      <form class="period-form" data-testid="stats-form" onSubmit={submit} aria-label={o.periodForm}>
        <div>
          <label for="stats-from">{o.from}</label>
          <input id="stats-from" data-testid="stats-from" type="date" required value={draft.from} onInput={(e) => field("from", e.currentTarget.value)} />
        </div>
        <div>
          <label for="stats-to">{o.to}</label>
          <input id="stats-to" data-testid="stats-to" type="date" required value={draft.to} onInput={(e) => field("to", e.currentTarget.value)} />
        </div>
        <div>
          <label for="stats-group">{o.groupBy}</label>
          <select id="stats-group" data-testid="stats-group" value={draft.group} onChange={(e) => field("group", e.currentTarget.value as Group)}>
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {o.groups[g]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="stats-by">{o.breakdownBy}</label>
          <select id="stats-by" data-testid="stats-by" value={draft.by} onChange={(e) => field("by", e.currentTarget.value as By)}>
            {BYS.map((b) => (
              <option key={b} value={b}>
                {o.bys[b]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" data-testid="stats-show">
          {o.show}
        </button>
        <div class="presets" role="group" aria-label={o.presets}>
          {PRESETS.map((days) => (
            <button key={days} type="button" class="small" data-testid="stats-preset" data-days={days} onClick={() => preset(days)}>
              {o.lastDays(days)}
            </button>
          ))}
        </div>
      </form>
      <ErrorNote error={error} {...outreachNote(error, t)} testid="stats-error" />
      <p class="hint">{o.statsNote}</p>
      <div class="exports" role="group" aria-label={o.exportsLabel}>
        <span class="exports-label">{o.exportsLabel}:</span>
        <a class="button-link" data-testid="export-spaces" href={exportUrls.spaces()} download>
          {o.exportRegister}
        </a>
        <a class="button-link" data-testid="export-observations" href={exportUrls.observations(applied.from, applied.to)} download>
          {o.exportObservations}
        </a>
        <a class="button-link" data-testid="export-stats" href={exportUrls.stats(applied.from, applied.to, applied.group, applied.by)} download>
          {o.exportStats}
        </a>
        <span class="hint">{o.exportPeriod(applied.from, applied.to)}</span>
      </div>
      {loading && <p role="status">{t.loading}</p>}
      {stats && <StatsView stats={stats} />}
    </div>
  );
}
