/** One space: its details, a form to record an observation, the trend chart and every observation (correctable). */

import { useEffect, useRef, useState } from "preact/hooks";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import type { OutreachApi } from "./api";
import { addDays, isoDay } from "./dates";
import { ObservationForm } from "./ObservationForm";
import { outreachNote } from "./problem";
import { SpaceForm } from "./SpaceForm";
import { TrendChart } from "./TrendChart";
import type { ListItem, Observation, Space, TrendPoint } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

interface Props {
  outreach: OutreachApi;
  spaceId: number;
  onBack: () => void;
  onLinks: () => void;
}

const TREND_SPANS = ["all", "90", "365"] as const;
type Span = (typeof TREND_SPANS)[number];

export function SpacePage({ outreach, spaceId, onBack, onLinks }: Props) {
  const { t } = useI18n();
  const o = t.outreach;
  const [space, setSpace] = useState<Space | null>(null);
  const [categories, setCategories] = useState<ListItem[]>([]);
  const [indicators, setIndicators] = useState<ListItem[]>([]);
  const [observations, setObservations] = useState<Observation[]>([]);
  const [points, setPoints] = useState<TrendPoint[] | null>(null);
  const [span, setSpan] = useState<Span>("all");
  const [editingSpace, setEditingSpace] = useState(false);
  const [correcting, setCorrecting] = useState<Observation | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const loaded = space !== null;
  // Opening a space moves focus to its name, so keyboard and screen-reader users land on the new page.
  useEffect(() => {
    if (loaded) titleRef.current?.focus();
  }, [loaded]);

  const loadTrend = (s: Span) => {
    const today = isoDay(new Date());
    const from = s === "all" ? undefined : addDays(today, -(Number(s) - 1));
    void attempt(async () => setPoints((await outreach.trend(spaceId, from)).points), setError);
  };
  const loadObservations = () => void attempt(async () => setObservations(await outreach.observations(spaceId)), setError);
  const loadSpace = () => void attempt(async () => setSpace(await outreach.space(spaceId)), setError);
  useEffect(() => {
    loadSpace();
    loadObservations();
    void attempt(async () => {
      const [cats, inds] = await Promise.all([outreach.categories(), outreach.indicators()]);
      setCategories(cats);
      setIndicators(inds);
    }, setError);
  }, []);
  useEffect(() => loadTrend(span), [span]);

  const afterObservation = (obs: Observation, created: boolean) => {
    setCorrecting(null);
    setSaved(created ? o.observationSaved(obs.day) : o.observationCorrected(obs.day));
    loadObservations();
    loadTrend(span);
    loadSpace();
  };
  const setActive = (active: boolean) => void attempt(async () => setSpace(await outreach.updateSpace(spaceId, { active })), setError);

  if (!space)
    return (
      <div class="admin-page">
        <ErrorNote error={error} {...outreachNote(error, t)} />
        {!error && <p role="status">{t.loading}</p>}
        <button type="button" data-testid="space-back" onClick={onBack}>
          {o.backToRegister}
        </button>
      </div>
    );

  return (
    <div class="admin-page space-page" data-testid="space-page" data-space-id={space.id}>
      <div class="page-head">
        <button type="button" class="small" data-testid="space-back" onClick={onBack}>
          ← {o.backToRegister}
        </button>
        <h3 data-testid="space-title" tabIndex={-1} ref={titleRef}>
          {space.name}
        </h3>
        {!space.active && <span class="pill pill-off">{o.retired}</span>}
      </div>
      <dl class="meta space-meta">
        <dt>{o.category}</dt>
        <dd>{space.category?.name ?? "–"}</dd>
        <dt>{o.address}</dt>
        <dd>
          <a href={space.address} target="_blank" rel="noopener noreferrer">
            {space.address}
          </a>
        </dd>
        <dt>{o.ageGate}</dt>
        <dd>{space.age_gate ? o.yes : o.no}</dd>
        <dt>{o.daysSince}</dt>
        <dd data-testid="space-days-since">{space.days_since_observed ?? o.never}</dd>
        {space.notes && <dt>{o.spaceNotes}</dt>}
        {space.notes && <dd class="pre">{space.notes}</dd>}
      </dl>
      <div class="row-actions">
        <button type="button" data-testid="space-edit" onClick={() => setEditingSpace(true)} disabled={editingSpace}>
          {o.edit}
        </button>
        <button type="button" data-testid="space-links" onClick={onLinks}>
          {o.linksForSpace}
        </button>
        <button type="button" class={space.active ? "danger" : ""} data-testid="space-toggle-active" onClick={() => setActive(!space.active)}>
          {space.active ? o.retireSpace : o.reactivateSpace}
        </button>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      {editingSpace && (
        <SpaceForm
          outreach={outreach}
          categories={categories}
          space={space}
          onCancel={() => setEditingSpace(false)}
          onSaved={(s) => {
            setSpace(s);
            setEditingSpace(false);
          }}
        />
      )}
      {saved && (
        <p class="ok" role="status" data-testid="obs-saved">
          {saved}
        </p>
      )}
      <div class="space-columns">
        {correcting && (
          <ObservationForm
            key={`edit-${correcting.id}`}
            outreach={outreach}
            spaceId={space.id}
            indicators={indicators}
            editing={correcting}
            onSaved={afterObservation}
            onCancel={() => setCorrecting(null)}
          />
        )}
        {!correcting && space.active && (
          <ObservationForm outreach={outreach} spaceId={space.id} indicators={indicators} editing={null} onSaved={afterObservation} onCancel={() => {}} />
        )}
        {!space.active && <p class="hint">{o.retiredNoObservations}</p>}

        <section class="trend" aria-labelledby="trend-heading">
          <div class="page-head">
            <h4 id="trend-heading">{o.trendHeading}</h4>
            <label class="inline" for="trend-span">
              {o.period}
            </label>
            <select id="trend-span" data-testid="trend-period" value={span} onChange={(e) => setSpan(e.currentTarget.value as Span)}>
              {TREND_SPANS.map((s) => (
                <option key={s} value={s}>
                  {o.trendSpans[s]}
                </option>
              ))}
            </select>
          </div>
          {points === null ? <p role="status">{t.loading}</p> : <TrendChart name={space.name} points={points} />}
        </section>
      </div>

      <ObservationTable observations={observations} onCorrect={(obs) => (setSaved(null), setCorrecting(obs))} />
    </div>
  );
}

function ObservationTable({ observations, onCorrect }: { observations: Observation[]; onCorrect: (o: Observation) => void }) {
  const { t } = useI18n();
  const o = t.outreach;
  if (observations.length === 0) return <p class="hint">{o.noObservations}</p>;
  return (
    <section aria-labelledby="observations-heading">
      <h4 id="observations-heading">{o.observationsHeading}</h4>
      <div class="table-scroll">
        <table class="admin-table" data-testid="observation-table">
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
              <th scope="col">{o.indicators}</th>
              <th scope="col">{o.note}</th>
              <th scope="col">
                <span class="visually-hidden">{o.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...observations].reverse().map((obs) => (
              <tr key={obs.id} data-testid="obs-row" data-day={obs.day}>
                <th scope="row" class="date">
                  {obs.day}
                </th>
                <td class="num" data-testid="obs-row-seen">
                  {obs.ads_seen}
                </td>
                <td class="num">{obs.ads_new ?? "–"}</td>
                <td class="num">{obs.ads_removed ?? "–"}</td>
                <td data-testid="obs-row-indicators">{obs.indicators.map((i) => i.name).join(", ") || "–"}</td>
                <td class="pre">{obs.note || "–"}</td>
                <td>
                  <button type="button" class="small" data-testid="obs-correct" aria-label={o.correctObservation(obs.day)} onClick={() => onCorrect(obs)}>
                    {o.correct}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
