/** The register: online spaces with their latest observation, a form for a new space, and those not observed lately. */

import { useEffect, useState } from "preact/hooks";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import type { OutreachApi } from "./api";
import { exportUrls } from "./api";
import { outreachNote } from "./problem";
import { SpaceForm } from "./SpaceForm";
import type { ListItem, Space } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

interface Props {
  outreach: OutreachApi;
  onOpen: (spaceId: number) => void;
}

export function RegisterPage({ outreach, onOpen }: Props) {
  const { t } = useI18n();
  const o = t.outreach;
  const [spaces, setSpaces] = useState<Space[] | null>(null);
  const [categories, setCategories] = useState<ListItem[]>([]);
  const [includeRetired, setIncludeRetired] = useState(false);
  const [categoryId, setCategoryId] = useState("");
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const load = () =>
    void attempt(async () => setSpaces(await outreach.spaces(includeRetired, categoryId ? Number(categoryId) : undefined)), setLoadError);
  useEffect(load, [includeRetired, categoryId]);
  useEffect(() => void attempt(async () => setCategories(await outreach.categories()), setLoadError), []);

  return (
    <div class="admin-page">
      <div class="page-head">
        <h3>{o.pages.register}</h3>
        <a class="button-link" data-testid="export-spaces" href={exportUrls.spaces()} download>
          {o.exportRegister}
        </a>
      </div>
      <p class="hint">{o.registerHint}</p>
      <div class="toolbar">
        <label class="inline" for="space-filter-category">
          {o.category}
        </label>
        <select id="space-filter-category" data-testid="space-filter-category" value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
          <option value="">{o.allCategories}</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" data-testid="space-show-retired" checked={includeRetired} onChange={(e) => setIncludeRetired(e.currentTarget.checked)} />
          {o.showRetired}
        </label>
        {!adding && (
          <button type="button" class="primary" data-testid="space-new" onClick={() => (setAdding(true), setCreated(null))}>
            {o.newSpace}
          </button>
        )}
      </div>
      {created && (
        <p class="ok" role="status" data-testid="space-created">
          {o.spaceCreated(created)}
        </p>
      )}
      {adding && (
        <SpaceForm
          outreach={outreach}
          categories={categories}
          space={null}
          onCancel={() => setAdding(false)}
          onSaved={(space) => {
            setAdding(false);
            setCreated(space.name);
            load();
          }}
        />
      )}
      <ErrorNote error={loadError} {...outreachNote(loadError, t)} />
      {spaces === null && !loadError && <p role="status">{t.loading}</p>}
      {spaces?.length === 0 && <p class="hint">{o.noSpaces}</p>}
      {spaces && spaces.length > 0 && <SpaceTable spaces={spaces} onOpen={onOpen} />}
      <NotObserved outreach={outreach} onOpen={onOpen} />
    </div>
  );
}

function SpaceTable({ spaces, onOpen }: { spaces: Space[]; onOpen: (id: number) => void }) {
  const { t } = useI18n();
  const o = t.outreach;
  return (
    <div class="table-scroll">
      <table class="admin-table" data-testid="space-table">
        <caption class="visually-hidden">{o.spacesCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{o.spaceName}</th>
            <th scope="col">{o.category}</th>
            <th scope="col">{o.ageGate}</th>
            <th scope="col">{o.latestObservation}</th>
            <th scope="col" class="num">
              {o.adsSeen}
            </th>
            <th scope="col" class="num">
              {o.adsNewRemoved}
            </th>
            <th scope="col" class="num">
              {o.daysSince}
            </th>
            <th scope="col">{o.status}</th>
          </tr>
        </thead>
        <tbody>
          {spaces.map((s) => {
            const last = s.latest_observation;
            return (
              <tr key={s.id} data-testid="space-row" data-space-id={s.id} data-active={String(s.active)} class={s.active ? "" : "inactive"}>
                <th scope="row">
                  <button type="button" class="linkish" data-testid="space-open" onClick={() => onOpen(s.id)}>
                    {s.name}
                  </button>
                </th>
                <td>{s.category?.name ?? "–"}</td>
                <td>{s.age_gate ? o.yes : o.no}</td>
                <td>{last ? last.day : o.never}</td>
                <td class="num" data-testid="space-ads-seen">
                  {last ? last.ads_seen : "–"}
                </td>
                <td class="num">{last ? `+${last.ads_new ?? "?"} / −${last.ads_removed ?? "?"}` : "–"}</td>
                <td class="num" data-testid="space-days-since">
                  {s.days_since_observed ?? "–"}
                </td>
                <td>
                  <span class={s.active ? "pill" : "pill pill-off"}>{s.active ? o.active : o.retired}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function NotObserved({ outreach, onOpen }: Props) {
  const { t } = useI18n();
  const o = t.outreach;
  const [days, setDays] = useState("14");
  const [shown, setShown] = useState(14);
  const [items, setItems] = useState<Space[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setItems(await outreach.notObserved(shown)), setError), [shown]);
  const submit = (e: Event) => {
    e.preventDefault();
    const n = Number(days);
    if (Number.isInteger(n) && n >= 1 && n <= 366) setShown(n);
  };
  return (
    <section class="not-observed" aria-labelledby="not-observed-heading" data-testid="not-observed">
      <h3 id="not-observed-heading">{o.notObservedHeading}</h3>
      <form class="inline-form" onSubmit={submit}>
        <label for="not-observed-days">{o.notObservedDays}</label>
        <input
          id="not-observed-days"
          class="narrow"
          data-testid="not-observed-days"
          type="number"
          min={1}
          max={366}
          required
          value={days}
          onInput={(e) => setDays(e.currentTarget.value)}
        />
        <button type="submit" class="small" data-testid="not-observed-show">
          {o.show}
        </button>
      </form>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      {items?.length === 0 && (
        <p class="hint" data-testid="not-observed-none">
          {o.allObserved(shown)}
        </p>
      )}
      {items && items.length > 0 && (
        <ul class="plain-list">
          {items.map((s) => (
            <li key={s.id} data-testid="not-observed-row" data-space-id={s.id} class="not-observed-row">
              <button type="button" class="linkish" onClick={() => onOpen(s.id)}>
                {s.name}
              </button>
              <span class="hint">{s.category?.name}</span>
              <span class="stale">{s.days_since_observed === null ? o.neverObserved : o.daysAgo(s.days_since_observed)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
