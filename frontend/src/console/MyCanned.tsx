/** A counselor's own canned replies (a page of the console) and a searchable picker beside the composer. */

import { useEffect, useMemo, useState } from "preact/hooks";
import { forgetCannedCache } from "./CannedComposer";
import { Dialog } from "./Dialog";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";
import type { CannedReply } from "./types";

interface Draft {
  keyword: string;
  language: string;
  body: string;
}

const EMPTY: Draft = { keyword: "", language: "sv", body: "" };

/** Replies whose keyword or text contains every word of the query (case-insensitive), keyword matches first. */
export function searchCanned(items: readonly CannedReply[], query: string): CannedReply[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = items.filter((r) => {
    const hay = `${r.keyword} ${r.body}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const first = words[0] ?? "";
  return hits.sort(
    (a, b) => Number(b.keyword.startsWith(first)) - Number(a.keyword.startsWith(first)) || a.keyword.localeCompare(b.keyword),
  );
}

export function MyCannedPage({ model }: { model: ConsoleModel }) {
  const { t } = useI18n();
  const c = t.myCanned;
  const [items, setItems] = useState<CannedReply[] | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = async () => setItems((await model.api.op("get", "/api/console/canned")).items);
  useEffect(() => {
    load().catch((err) => setError(errorText(err, t.errorCodes, t.requestFailed)));
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    try {
      if (editing === null) await model.api.op("post", "/api/console/canned", { body: draft });
      else await model.api.op("put", "/api/console/canned/{reply_id}", { params: { reply_id: editing }, body: draft });
      forgetCannedCache();
      setNotice(editing === null ? c.added(draft.keyword) : c.saved(draft.keyword));
      setDraft(EMPTY);
      setEditing(null);
      await load();
    } catch (err) {
      setError(errorText(err, { ...t.errorCodes, ...c.errorCodes }, t.requestFailed));
    }
  };

  const remove = async (r: CannedReply) => {
    setError(null);
    try {
      await model.api.call(`/api/console/canned/${r.id}`, { method: "DELETE" });
      forgetCannedCache();
      setNotice(c.removed(r.keyword));
      await load();
    } catch (err) {
      setError(errorText(err, t.errorCodes, t.requestFailed));
    }
  };

  const mine = (items ?? []).filter((r) => !r.shared);
  const shared = (items ?? []).filter((r) => r.shared);
  return (
    <section class="my-canned" aria-labelledby="my-canned-h" data-testid="my-canned">
      <h2 id="my-canned-h">{c.heading}</h2>
      <p class="hint">{c.intro}</p>
      <form class="my-canned-form" onSubmit={(e) => void save(e)} data-testid="my-canned-form">
        <h3>{editing === null ? c.addHeading : c.editHeading(draft.keyword)}</h3>
        <label for="my-canned-keyword">{c.keyword}</label>
        <input
          id="my-canned-keyword"
          data-testid="my-canned-keyword"
          required
          maxLength={32}
          pattern="[A-Za-z0-9_\-]+"
          aria-describedby="my-canned-keyword-hint"
          value={draft.keyword}
          onInput={(e) => setDraft({ ...draft, keyword: e.currentTarget.value })}
        />
        <p id="my-canned-keyword-hint" class="hint">
          {c.keywordHint}
        </p>
        <label for="my-canned-language">{c.language}</label>
        <select
          id="my-canned-language"
          data-testid="my-canned-language"
          value={draft.language}
          onChange={(e) => setDraft({ ...draft, language: e.currentTarget.value })}
        >
          {Object.entries(t.languages).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <label for="my-canned-body">{c.body}</label>
        <textarea
          id="my-canned-body"
          data-testid="my-canned-body"
          required
          rows={3}
          maxLength={2000}
          value={draft.body}
          onInput={(e) => setDraft({ ...draft, body: e.currentTarget.value })}
        />
        <div class="row-actions">
          <button type="submit" class="primary" data-testid="my-canned-save">
            {editing === null ? c.add : c.save}
          </button>
          {editing !== null && (
            <button
              type="button"
              onClick={() => {
                setEditing(null);
                setDraft(EMPTY);
              }}
            >
              {c.cancel}
            </button>
          )}
        </div>
        <ErrorNote error={error} testid="my-canned-error" />
        <p role="status" data-testid="my-canned-notice">
          {notice ?? ""}
        </p>
      </form>
      <h3>{c.mineHeading}</h3>
      {items && mine.length === 0 && <p class="hint">{c.none}</p>}
      <ul class="canned-cards" data-testid="my-canned-list">
        {mine.map((r) => (
          <li key={r.id} data-testid="my-canned-item" data-keyword={r.keyword}>
            <p>
              <strong>/{r.keyword}</strong> <span class="hint">({t.languages[r.language] ?? r.language})</span>
            </p>
            <p class="canned-text">{r.body}</p>
            <button
              type="button"
              aria-label={c.editOne(r.keyword)}
              onClick={() => {
                setEditing(r.id);
                setDraft({ keyword: r.keyword, language: r.language, body: r.body });
                document.getElementById("my-canned-keyword")?.focus();
              }}
            >
              {c.edit}
            </button>{" "}
            <button type="button" class="danger" data-testid="my-canned-delete" aria-label={c.deleteOne(r.keyword)} onClick={() => void remove(r)}>
              {c.delete}
            </button>
          </li>
        ))}
      </ul>
      <h3>{c.sharedHeading}</h3>
      <ul class="canned-cards">
        {shared.map((r) => (
          <li key={r.id}>
            <p>
              <strong>/{r.keyword}</strong> <span class="hint">({t.languages[r.language] ?? r.language})</span>
            </p>
            <p class="canned-text">{r.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Snabbsvar …": every reply for the chat's language, searchable; choosing one adds it to the message box. */
export function CannedPicker({ replies, onPick, onClose }: { replies: readonly CannedReply[]; onPick: (body: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const c = t.myCanned;
  const [query, setQuery] = useState("");
  const hits = useMemo(() => searchCanned(replies, query), [replies, query]);
  return (
    <Dialog title={c.pickerHeading} testid="canned-picker" onClose={onClose}>
      <label for="canned-search">{c.search}</label>
      <input
        id="canned-search"
        type="search"
        data-testid="canned-search"
        autofocus
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        aria-controls="canned-results"
      />
      <p role="status" class="hint" data-testid="canned-count">
        {c.found(hits.length)}
      </p>
      <ul id="canned-results" class="canned-results">
        {hits.map((r) => (
          <li key={r.id}>
            <button type="button" class="canned-pick" data-testid="canned-pick" data-keyword={r.keyword} onClick={() => onPick(r.body)}>
              <strong>/{r.keyword}</strong> <span>{r.body}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" data-testid="canned-picker-close" onClick={onClose}>
        {c.cancel}
      </button>
    </Dialog>
  );
}
