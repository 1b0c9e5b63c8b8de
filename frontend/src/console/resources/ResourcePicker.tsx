/** The composer's resource picker: search the directory, send one to the visitor as a card. */

import { useEffect, useMemo, useState } from "preact/hooks";
import { newClientId } from "../../shared/clientId";
import type { ConsoleApi } from "../api";
import { Dialog } from "../Dialog";
import { ErrorNote } from "../../shared/ErrorNote";
import { useI18n } from "../i18n";
import { ResourcesApi, type Resource } from "./api";
import { resourceStrings } from "./strings";

export function ResourcePicker({ api, conversationId, disabled }: { api: ConsoleApi; conversationId: string; disabled: boolean }) {
  const { t, lang } = useI18n();
  const s = resourceStrings[lang];
  const resources = useMemo(() => new ResourcesApi(api), [api]);
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [items, setItems] = useState<Resource[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    const timer = setTimeout(() => {
      resources.search(q).then(
        (found) => live && setItems(found),
        (err) => live && setError(err),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, q]);

  const send = async (resource: Resource) => {
    setError(null);
    try {
      await resources.send(conversationId, resource.id, newClientId("card"));
      setSent(s.sent(resource.name));
      setOpen(false);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="resource-picker">
      <button
        type="button"
        data-testid="resource-picker-open"
        disabled={disabled}
        onClick={() => {
          setSent(null);
          setError(null);
          setOpen(true);
        }}
      >
        {s.open}
      </button>
      {sent && (
        <span class="hint" role="status" data-testid="resource-sent">
          {" "}
          {sent}
        </span>
      )}
      {open && (
        <Dialog title={s.dialogTitle} testid="resource-picker" onClose={() => setOpen(false)}>
          <label for={`resource-q-${conversationId}`}>{s.search}</label>
          <input
            id={`resource-q-${conversationId}`}
            type="search"
            data-testid="resource-search"
            value={q}
            maxLength={64}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
          <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} />
          {items.length === 0 && <p class="hint">{s.none}</p>}
          <ul class="plain-list resource-list">
            {items.map((r) => (
              <li key={r.id} class="resource-item" data-testid="resource-item" data-name={r.name}>
                <div>
                  <strong>{r.name}</strong>
                  {r.phone && <span> · {r.phone}</span>}
                  {r.offer && <p class="hint">{r.offer}</p>}
                </div>
                <button type="button" class="primary" data-testid="resource-send" onClick={() => void send(r)} aria-label={`${s.send}: ${r.name}`}>
                  {s.send}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setOpen(false)}>
            {s.close}
          </button>
        </Dialog>
      )}
    </div>
  );
}
