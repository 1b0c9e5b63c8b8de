/** Audit log (admins): who did what and when, filtered by actor, action, conversation, time and count. */

import { useEffect, useState } from "preact/hooks";
import { formatDateTime } from "../../shared/i18n";
import { AdminApi, type ConsoleApi } from "../api";
import type { AdminUser } from "../types";
import { ErrorNote, errorText } from "../../shared/ErrorNote";
import { useI18n } from "../i18n";
import { AUDIT_ACTIONS, auditLog, EMPTY_FILTER, type AuditEntry, type AuditFilter } from "../privacy";
import { shortId } from "../shortId";


export function AuditPage({ api }: { api: ConsoleApi }) {
  const { t, lang } = useI18n();
  const a = t.privacy.audit;
  const [form, setForm] = useState<AuditFilter>(EMPTY_FILTER);
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [staff, setStaff] = useState<AdminUser[] | null>(null);

  const load = async (filter: AuditFilter) => {
    setBusy(true);
    setError(null);
    try {
      setItems(await auditLog(api, filter));
    } catch (err) {
      setError(errorText(err, { invalid_request: a.invalidTime, ...t.privacy.errorCodes }, t.requestFailed));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load(EMPTY_FILTER);
    new AdminApi(api).users().then(setStaff, () => setStaff([]));
  }, []);

  const set = (key: keyof AuditFilter) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  const field = (key: keyof AuditFilter, label: string, extra: Record<string, unknown> = {}) => (
    <>
      <label for={`audit-${key}`}>{label}</label>
      <input id={`audit-${key}`} data-testid={`audit-${key}`} value={form[key]} onInput={set(key)} {...extra} />
    </>
  );

  return (
    <section class="admin-page audit-page" aria-labelledby="audit-h">
      <h3 id="audit-h">{a.heading}</h3>
      <p class="hint">{a.intro}</p>
      <form
        class="admin-form audit-filter"
        data-testid="audit-filter"
        onSubmit={(e) => {
          e.preventDefault();
          void load(form);
        }}
      >
        <div class="form-grid">
          <label for="audit-actor">{a.actor}</label>
          <select id="audit-actor" data-testid="audit-actor" value={form.actor} onChange={set("actor")}>
            <option value="">{a.anyone}</option>
            {(staff ?? []).map((u) => (
              <option key={u.id} value={String(u.id)}>
                {u.display_name} ({u.alias})
              </option>
            ))}
          </select>
          <label for="audit-action">{a.action}</label>
          <select id="audit-action" data-testid="audit-action" value={form.action} onChange={set("action")}>
            <option value="">{a.anyAction}</option>
            {AUDIT_ACTIONS.map((x) => (
              <option key={x} value={x}>
                {a.actions[x] ?? x}
              </option>
            ))}
          </select>
          {field("conversation", a.conversation, { autocomplete: "off", spellcheck: false, maxLength: 36 })}
          {field("from", a.from, { type: "date" })}
          {field("to", a.to, { type: "date" })}
          {field("limit", a.limit, { type: "number", min: 1, max: 1000, class: "narrow" })}
        </div>
        <div class="row-actions">
          <button type="submit" class="primary" data-testid="audit-apply" disabled={busy}>
            {a.apply}
          </button>{" "}
          <button
            type="button"
            data-testid="audit-reset"
            onClick={() => {
              setForm(EMPTY_FILTER);
              void load(EMPTY_FILTER);
            }}
          >
            {a.reset}
          </button>
        </div>
      </form>
      <ErrorNote error={error} testid="audit-error" class="form-error" />
      {items === null ? (
        !error && <p role="status">{a.loading}</p>
      ) : items.length === 0 ? (
        <p data-testid="audit-empty">{a.empty}</p>
      ) : (
        <>
          <p role="status" data-testid="audit-count">
            {a.count(items.length)}
          </p>
          <div class="table-scroll">
            <table class="admin-table audit-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{a.colAt}</th>
                  <th scope="col">{a.colActor}</th>
                  <th scope="col">{a.colAction}</th>
                  <th scope="col">{a.colConversation}</th>
                  <th scope="col">{a.colTarget}</th>
                  <th scope="col">{a.colDetail}</th>
                  <th scope="col">{a.colResult}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr
                    key={e.id}
                    data-testid="audit-row"
                    data-action={e.action}
                    data-conversation-id={e.conversation_id ?? undefined}
                    class={e.success ? undefined : "audit-failed"}
                  >
                    <td>
                      <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                    </td>
                    <td>{e.actor ?? (e.actor_id != null ? `#${e.actor_id}` : a.system)}</td>
                    <td>
                      {a.actions[e.action] ?? e.action}
                    </td>
                    <td>
                      {e.conversation_id && (
                        <button
                          type="button"
                          class="linkish"
                          title={e.conversation_id}
                          onClick={() => {
                            const next = { ...form, conversation: e.conversation_id ?? "" };
                            setForm(next);
                            void load(next);
                          }}
                        >
                          <span class="visually-hidden">{a.conversation}: </span>
                          {shortId(e.conversation_id)}
                        </button>
                      )}
                    </td>
                    <td>{e.target ?? ""}</td>
                    <td class="audit-detail">{e.detail}</td>
                    <td>{e.success ? a.ok : <strong>{a.failed}</strong>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
