/** Shared canned replies, in Swedish and English: add, edit, delete. */

import { useEffect, useState } from "preact/hooks";
import { LANGS } from "../../shared/i18n";
import type { AdminApi } from "../api";
import { useI18n } from "../i18n";
import type { CannedReply } from "../types";
import { attempt, adminNote } from "../errors";
import { ErrorNote } from "../../shared/ErrorNote";

interface Draft {
  keyword: string;
  language: string;
  body: string;
}

export function CannedPage({ admin }: { admin: AdminApi }) {
  const { t } = useI18n();
  const [items, setItems] = useState<CannedReply[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setItems(await admin.canned()), setLoadError), []);
  const sorted = [...(items ?? [])].sort((a, b) => a.language.localeCompare(b.language) || a.keyword.localeCompare(b.keyword));
  return (
    <div class="admin-page">
      <h3>{t.admin.pages.canned}</h3>
      <p class="hint">{t.admin.cannedHint}</p>
      <ErrorNote error={loadError} {...adminNote(t)} />
      {items?.length === 0 && <p class="hint">{t.admin.noCanned}</p>}
      <ul class="plain-list">
        {sorted.map((r) => (
          <CannedRow
            key={r.id}
            admin={admin}
            reply={r}
            onSaved={(n) => setItems((list) => (list ?? []).map((x) => (x.id === n.id ? n : x)))}
            onDeleted={() => setItems((list) => (list ?? []).filter((x) => x.id !== r.id))}
          />
        ))}
      </ul>
      <CannedForm
        title={t.admin.newCanned}
        prefix="new-canned"
        initial={{ keyword: "", language: "sv", body: "" }}
        submitLabel={t.admin.add}
        onSubmit={async (d) => {
          const r = await admin.createCanned(d);
          setItems((list) => [...(list ?? []), r]);
        }}
      />
    </div>
  );
}

function CannedRow({ admin, reply, onSaved, onDeleted }: { admin: AdminApi; reply: CannedReply; onSaved: (r: CannedReply) => void; onDeleted: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState(false);
  if (editing)
    return (
      <li class="canned-row" data-testid="canned-row" data-keyword={reply.keyword} data-language={reply.language}>
        <CannedForm
          title={t.admin.editCanned(reply.keyword)}
          prefix={`canned-${reply.id}`}
          initial={{ keyword: reply.keyword, language: reply.language, body: reply.body }}
          submitLabel={t.admin.save}
          onCancel={() => setEditing(false)}
          onSubmit={async (d) => {
            onSaved(await admin.updateCanned(reply.id, d));
            setEditing(false);
          }}
        />
      </li>
    );
  return (
    <li class="canned-row" data-testid="canned-row" data-keyword={reply.keyword} data-language={reply.language}>
      <div class="canned-line">
        <code>/{reply.keyword}</code>
        <span class="lang-tag">{reply.language}</span>
        <span class="canned-text">{reply.body}</span>
      </div>
      <div class="row-actions">
        <button type="button" class="small" data-testid="canned-edit" onClick={() => setEditing(true)}>
          {t.admin.edit}
        </button>
        {confirm ? (
          <>
            <button
              type="button"
              class="small danger"
              data-testid="canned-delete-confirm"
              onClick={() => void attempt(async () => (await admin.deleteCanned(reply.id), onDeleted()), setError)}
            >
              {t.admin.confirmDelete}
            </button>
            <button type="button" class="small" onClick={() => setConfirm(false)}>
              {t.cancel}
            </button>
          </>
        ) : (
          <button type="button" class="small danger" data-testid="canned-delete" onClick={() => setConfirm(true)}>
            {t.admin.delete}
          </button>
        )}
      </div>
      <ErrorNote error={error} {...adminNote(t)} />
    </li>
  );
}

interface FormProps {
  title: string;
  prefix: string;
  initial: Draft;
  submitLabel: string;
  onSubmit: (d: Draft) => Promise<void>;
  onCancel?: () => void;
}

function CannedForm({ title, prefix, initial, submitLabel, onSubmit, onCancel }: FormProps) {
  const { t } = useI18n();
  const [d, setD] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const draft = { keyword: d.keyword.trim().replace(/^\//, ""), language: d.language, body: d.body.trim() };
    if (await attempt(() => onSubmit(draft), setError)) setD(initial);
  };
  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} aria-label={title}>
      <h4>{title}</h4>
      <div class="form-grid">
        <label for={`${prefix}-kw`}>{t.admin.keyword}</label>
        <input id={`${prefix}-kw`} data-testid={`${prefix}-keyword`} required maxLength={33} value={d.keyword} onInput={(e) => setD({ ...d, keyword: e.currentTarget.value })} aria-describedby={`${prefix}-kw-hint`} />
        <span id={`${prefix}-kw-hint`} class="hint span2">{t.admin.keywordHint}</span>
        <label for={`${prefix}-lang`}>{t.language}</label>
        <select id={`${prefix}-lang`} data-testid={`${prefix}-language`} value={d.language} onChange={(e) => setD({ ...d, language: e.currentTarget.value })}>
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {t.languages[l] ?? l}
            </option>
          ))}
        </select>
        <label for={`${prefix}-body`}>{t.admin.body}</label>
        <textarea id={`${prefix}-body`} data-testid={`${prefix}-body`} required rows={3} maxLength={2000} value={d.body} onInput={(e) => setD({ ...d, body: e.currentTarget.value })} />
      </div>
      <ErrorNote error={error} {...adminNote(t)} />
      <div class="row-actions">
        <button type="submit" class="primary" data-testid={`${prefix}-save`}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
