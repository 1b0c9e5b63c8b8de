/** Record (or correct) one check of a space: the day, ad counts, indicator tags and a short note with no contact details. */

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../../shared/api";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import type { OutreachApi } from "./api";
import { isoDay } from "./dates";
import { outreachNote } from "./problem";
import type { ListItem, Observation } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

interface Props {
  outreach: OutreachApi;
  spaceId: number;
  indicators: ListItem[];
  /** The observation to correct; null records a new one. */
  editing: Observation | null;
  onSaved: (observation: Observation, created: boolean) => void;
  onCancel: () => void;
}

const count = (text: string): number | null => (text.trim() === "" ? null : Number(text));

export function ObservationForm({ outreach, spaceId, indicators, editing, onSaved, onCancel }: Props) {
  const { t } = useI18n();
  const o = t.outreach;
  const today = isoDay(new Date());
  const [day, setDay] = useState(editing?.day ?? today);
  const [seen, setSeen] = useState(editing ? String(editing.ads_seen) : "");
  const [added, setAdded] = useState(editing?.ads_new === null || !editing ? "" : String(editing.ads_new));
  const [removed, setRemoved] = useState(editing?.ads_removed === null || !editing ? "" : String(editing.ads_removed));
  const [note, setNote] = useState(editing?.note ?? "");
  const [tags, setTags] = useState<Set<number>>(new Set(editing?.indicators.map((i) => i.id) ?? []));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const privacy = error instanceof ApiError && error.code === "personal_data";
  useEffect(() => {
    if (privacy) noteRef.current?.focus();
  }, [error]);

  // Indicators on the observation stay listed even when an admin has retired them since.
  const choices = [...indicators];
  for (const tag of editing?.indicators ?? []) if (!choices.some((c) => c.id === tag.id)) choices.push({ ...tag, active: false });

  const toggle = (id: number, on: boolean) =>
    setTags((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const fields = { ads_seen: Number(seen), ads_new: count(added), ads_removed: count(removed), note: note.trim(), indicators: [...tags] };
    const ok = await attempt(async () => {
      if (editing) onSaved(await outreach.updateObservation(editing.id, fields), false);
      else onSaved(await outreach.addObservation(spaceId, { day, ...fields }), true);
    }, setError);
    setBusy(false);
    if (ok && !editing) {
      setSeen("");
      setAdded("");
      setRemoved("");
      setNote("");
      setTags(new Set());
    }
  };

  const id = (f: string) => `obs-${editing?.id ?? "new"}-${f}`;
  return (
    <form class="admin-form outreach-form" data-testid="observation-form" onSubmit={(e) => void submit(e)}>
      <h4>{editing ? o.correctObservation(editing.day) : o.newObservation}</h4>
      <div class="fields">
        <div class="field">
          <label for={id("day")}>{o.day}</label>
          <input
            id={id("day")}
            class="date-input"
            data-testid="obs-day"
            type="date"
            required
            min="2000-01-01"
            max={today}
            disabled={!!editing}
            value={day}
            onInput={(e) => setDay(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for={id("seen")}>{o.adsSeenLong}</label>
          <input id={id("seen")} class="narrow" data-testid="obs-ads-seen" type="number" required min={0} max={100000} value={seen} onInput={(e) => setSeen(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={id("new")}>{o.adsNewLong}</label>
          <input id={id("new")} class="narrow" data-testid="obs-ads-new" type="number" min={0} max={100000} value={added} onInput={(e) => setAdded(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={id("removed")}>{o.adsRemovedLong}</label>
          <input
            id={id("removed")}
            class="narrow"
            data-testid="obs-ads-removed"
            type="number"
            min={0}
            max={100000}
            value={removed}
            onInput={(e) => setRemoved(e.currentTarget.value)}
          />
        </div>
      </div>
      <p class="hint">{editing ? o.adsHintCorrect : o.adsHint}</p>
      <fieldset class="checks" data-testid="obs-indicators">
        <legend>{o.indicators}</legend>
        {choices.length === 0 && <p class="hint">{o.noIndicators}</p>}
        {choices.map((c) => (
          <label key={c.id} class="check">
            <input
              type="checkbox"
              data-testid="obs-indicator"
              data-indicator-id={c.id}
              checked={tags.has(c.id)}
              onChange={(e) => toggle(c.id, e.currentTarget.checked)}
            />
            {c.active ? c.name : `${c.name} (${o.retired})`}
          </label>
        ))}
      </fieldset>
      <label for={id("note")}>{o.note}</label>
      <textarea
        id={id("note")}
        ref={noteRef}
        data-testid="obs-note"
        rows={3}
        maxLength={1000}
        aria-describedby={id("note-hint")}
        aria-invalid={privacy ? "true" : undefined}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      <p class="hint privacy-hint" id={id("note-hint")} data-testid="obs-note-hint">
        {o.noteHint}
      </p>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      <div class="row-actions">
        <button type="submit" class="primary" data-testid="obs-save" disabled={busy}>
          {editing ? o.save : o.recordObservation}
        </button>
        {editing && (
          <button type="button" data-testid="obs-cancel" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
