/** Opening hours: the weekly rows (replaced as a whole) and dated exceptions (added and deleted one by one). */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../shared/api";
import { formatDateTime } from "../../shared/i18n";
import type { AdminApi, ConsoleApi } from "../api";
import { useI18n } from "../i18n";
import type { NewException, OpeningException, Schedule, WeeklyRow } from "../types";
import { attempt, adminNote } from "../errors";
import { ErrorNote } from "../../shared/ErrorNote";

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];
const byDay = (a: WeeklyRow, b: WeeklyRow) => a.weekday - b.weekday || a.opens.localeCompare(b.opens);

/** What the page shows: the schedule, or an empty week and no exceptions where the server has none to give. */
type Shown = Pick<Schedule, "weekly" | "exceptions"> & Partial<Schedule>;

export function SchedulePage({ api, admin }: { api: ConsoleApi; admin: AdminApi }) {
  const { t, lang } = useI18n();
  const [schedule, setSchedule] = useState<Shown | null>(null);
  const [rows, setRows] = useState<WeeklyRow[]>([]);
  const [missing, setMissing] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [weekError, setWeekError] = useState<unknown>(null);
  const [weekSaved, setWeekSaved] = useState(false);
  const take = (s: Shown) => {
    setSchedule(s);
    setRows([...(s.weekly ?? [])].sort(byDay));
  };
  useEffect(() => {
    api.schedule().then(take, (err) => {
      // Built against docs/protocol.md even where the server does not answer yet.
      if (err instanceof ApiError && err.status === 404) setMissing(true);
      else setLoadError(err);
      take({ weekly: [], exceptions: [] });
    });
  }, []);

  const change = (i: number, patch: Partial<WeeklyRow>) => {
    setWeekSaved(false);
    setRows((list) => list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const saveWeek = async (e: Event) => {
    e.preventDefault();
    setWeekSaved(false);
    setWeekSaved(await attempt(async () => take(await admin.saveWeek(rows)), setWeekError));
  };
  const status = schedule?.status;

  return (
    <div class="admin-page">
      <h3>{t.admin.pages.hours}</h3>
      {missing && (
        <p class="notice" role="status" data-testid="schedule-missing">
          {t.admin.scheduleMissing}
        </p>
      )}
      <ErrorNote error={loadError} {...adminNote(t)} />
      {status && (
        <p data-testid="schedule-status">
          {status.open ? t.admin.openNow : t.admin.closedNow}
          {status.next_opening && ` ${t.admin.nextOpening(formatDateTime(status.next_opening, lang))}`}
          {schedule?.timezone && <span class="hint"> ({schedule.timezone})</span>}
        </p>
      )}
      {!schedule && <p role="status">{t.loading}</p>}
      {schedule && (
        <form class="admin-form" onSubmit={(e) => void saveWeek(e)} aria-labelledby="week-h">
          <h4 id="week-h">{t.admin.weekly}</h4>
          <p class="hint">{t.admin.weeklyHint}</p>
          {rows.length === 0 && <p class="hint">{t.admin.noWeekly}</p>}
          <ul class="plain-list">
            {rows.map((row, i) => (
              <li key={i} class="schedule-row" data-testid="schedule-row">
                <label for={`wd-${i}`} class="visually-hidden">{t.admin.weekday}</label>
                <select id={`wd-${i}`} data-testid="schedule-weekday" value={String(row.weekday)} onChange={(e) => change(i, { weekday: Number(e.currentTarget.value) })}>
                  {WEEKDAYS.map((d) => (
                    <option key={d} value={String(d)}>
                      {t.admin.weekdays[d]}
                    </option>
                  ))}
                </select>
                <label for={`op-${i}`}>{t.admin.opens}</label>
                <input id={`op-${i}`} data-testid="schedule-opens" type="time" required value={row.opens} onInput={(e) => change(i, { opens: e.currentTarget.value })} />
                <label for={`cl-${i}`}>{t.admin.closes}</label>
                <input id={`cl-${i}`} data-testid="schedule-closes" type="time" required value={row.closes} onInput={(e) => change(i, { closes: e.currentTarget.value })} />
                <button type="button" class="small danger" data-testid="schedule-remove" aria-label={t.admin.removeRow(t.admin.weekdays[row.weekday] ?? "")} onClick={() => setRows((list) => list.filter((_, j) => j !== i))}>
                  {t.admin.remove}
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            data-testid="schedule-add-row"
            onClick={() => setRows((list) => [...list, { weekday: list[list.length - 1]?.weekday ?? 0, opens: "18:00", closes: "22:00" }])}
          >
            {t.admin.addRow}
          </button>
          <ErrorNote error={weekError} {...adminNote(t)} testid="schedule-error" />
          {weekSaved && !weekError && (
            <p class="ok" role="status" data-testid="schedule-saved">
              {t.admin.saved}
            </p>
          )}
          <button type="submit" class="primary" data-testid="schedule-save">
            {t.admin.saveWeek}
          </button>
        </form>
      )}
      {schedule && <Exceptions admin={admin} items={schedule.exceptions ?? []} onSchedule={take} />}
    </div>
  );
}

function Exceptions({ admin, items, onSchedule }: { admin: AdminApi; items: OpeningException[]; onSchedule: (s: Schedule) => void }) {
  const { t, lang } = useI18n();
  const empty = { day: "", closed: true, opens: "", closes: "", note: "" };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const [rowError, setRowError] = useState<{ day: string; err: unknown } | null>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    const body: NewException = form.closed
      ? { day: form.day, closed: true, opens: null, closes: null, note: form.note.trim() }
      : { day: form.day, closed: false, opens: form.opens, closes: form.closes, note: form.note.trim() };
    if (await attempt(async () => onSchedule(await admin.addException(body)), setError)) setForm(empty);
  };
  const remove = (day: string) =>
    void attempt(async () => onSchedule(await admin.deleteException(day)), (err) => setRowError(err ? { day, err } : null));
  const dayText = (day: string) =>
    new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", { weekday: "short", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

  return (
    <section class="admin-form" aria-labelledby="exc-h">
      <h4 id="exc-h">{t.admin.exceptions}</h4>
      {items.length === 0 && <p class="hint">{t.admin.noExceptions}</p>}
      <ul class="plain-list">
        {items.map((x) => (
          <li key={x.day} class="exception-row" data-testid="exception-row" data-day={x.day}>
            <strong>{dayText(x.day)}</strong>
            <span>{x.closed ? t.admin.closedAllDay : `${x.opens ?? ""}–${x.closes ?? ""}`}</span>
            {x.note && <span class="hint">{x.note}</span>}
            <button type="button" class="small danger" data-testid="exception-delete" aria-label={t.admin.removeException(dayText(x.day))} onClick={() => remove(x.day)}>
              {t.admin.remove}
            </button>
            {rowError?.day === x.day && <ErrorNote error={rowError.err} {...adminNote(t)} />}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)} class="exception-form" data-testid="exception-form">
        <div class="form-grid">
          <label for="exc-day">{t.admin.day}</label>
          <input id="exc-day" data-testid="exception-day" type="date" required value={form.day} onInput={(e) => setForm({ ...form, day: e.currentTarget.value })} />
          <span class="span2">
            <label class="check">
              <input type="checkbox" data-testid="exception-closed" checked={form.closed} onChange={(e) => setForm({ ...form, closed: e.currentTarget.checked })} />
              {t.admin.closedAllDay}
            </label>
          </span>
          {!form.closed && (
            <>
              <label for="exc-opens">{t.admin.opens}</label>
              <input id="exc-opens" data-testid="exception-opens" type="time" required value={form.opens} onInput={(e) => setForm({ ...form, opens: e.currentTarget.value })} />
              <label for="exc-closes">{t.admin.closes}</label>
              <input id="exc-closes" data-testid="exception-closes" type="time" required value={form.closes} onInput={(e) => setForm({ ...form, closes: e.currentTarget.value })} />
            </>
          )}
          <label for="exc-note">{t.admin.note}</label>
          <input id="exc-note" data-testid="exception-note" maxLength={128} value={form.note} onInput={(e) => setForm({ ...form, note: e.currentTarget.value })} />
        </div>
        <ErrorNote error={error} {...adminNote(t)} testid="exception-error" />
        <button type="submit" class="primary" data-testid="exception-add">
          {t.admin.addException}
        </button>
      </form>
    </section>
  );
}
