/** Admin: the resource directory (add, edit, make inactive; never deleted, so referral counts stay). */

import { useEffect, useMemo, useState } from "preact/hooks";
import type { ConsoleApi } from "../api";
import { adminNote, attempt } from "../errors";
import { useI18n } from "../i18n";
import { ResourcesApi, type Resource, type ResourceFields } from "./api";
import { resourceStrings } from "./strings";
import { ErrorNote } from "../../shared/ErrorNote";

const TEXT_FIELDS = ["name", "offer", "phone", "url", "hours", "region", "ages", "languages"] as const;
const LIMITS: Record<(typeof TEXT_FIELDS)[number], number> = {
  name: 128,
  offer: 500,
  phone: 32,
  url: 300,
  hours: 200,
  region: 64,
  ages: 32,
  languages: 64,
};
type Draft = Record<(typeof TEXT_FIELDS)[number], string>;
const EMPTY: Draft = { name: "", offer: "", phone: "", url: "", hours: "", region: "", ages: "", languages: "" };

/** Empty phone and url are sent as null (no number, no link). */
function body(draft: Draft): ResourceFields {
  return { ...draft, phone: draft.phone.trim() || null, url: draft.url.trim() || null };
}

export function ResourcesPage({ api }: { api: ConsoleApi }) {
  const { t, lang } = useI18n();
  const s = resourceStrings[lang];
  const resources = useMemo(() => new ResourcesApi(api), [api]);
  const [items, setItems] = useState<Resource[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setItems(await resources.all()), setLoadError), []);
  const replace = (r: Resource) => setItems((list) => (list ?? []).map((x) => (x.id === r.id ? r : x)));
  return (
    <div class="admin-page resources-page">
      <h3>{s.page}</h3>
      <p class="hint">{s.hint}</p>
      <ErrorNote error={loadError} {...adminNote(t)} />
      <ul class="plain-list resource-admin-list">
        {items?.map((r) => (
          <ResourceRow key={r.id} resources={resources} resource={r} onSaved={replace} />
        ))}
      </ul>
      <ResourceForm
        idPrefix="new-resource"
        initial={EMPTY}
        submitLabel={s.add}
        onSubmit={async (draft) => {
          const made = await resources.create(body(draft));
          setItems((list) => [...(list ?? []), made]);
        }}
        resetAfter
      />
    </div>
  );
}

function ResourceRow({ resources, resource, onSaved }: { resources: ResourcesApi; resource: Resource; onSaved: (r: Resource) => void }) {
  const { t, lang } = useI18n();
  const s = resourceStrings[lang];
  const [error, setError] = useState<unknown>(null);
  const initial: Draft = { ...EMPTY, ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, resource[f] ?? ""])) };
  return (
    <li class={resource.active ? "resource-row" : "resource-row inactive"} data-testid="resource-row" data-name={resource.name}>
      <details>
        <summary>
          <strong>{resource.name}</strong>
          {resource.phone && <span> · {resource.phone}</span>}
          {!resource.active && <span class="hint"> ({s.inactive})</span>}
          <span class="visually-hidden"> {s.edit(resource.name)}</span>
        </summary>
        <ResourceForm
          idPrefix={`resource-${resource.id}`}
          initial={initial}
          submitLabel={s.save}
          onSubmit={async (draft) => onSaved(await resources.update(resource.id, body(draft)))}
        />
      </details>
      <button
        type="button"
        data-testid="resource-toggle"
        onClick={() => void attempt(async () => onSaved(await resources.update(resource.id, { active: !resource.active })), setError)}
      >
        {resource.active ? s.retire : s.restore}
      </button>
      <ErrorNote error={error} {...adminNote(t)} />
    </li>
  );
}

interface FormProps {
  idPrefix: string;
  initial: Draft;
  submitLabel: string;
  onSubmit: (draft: Draft) => Promise<void>;
  resetAfter?: boolean;
}

function ResourceForm({ idPrefix, initial, submitLabel, onSubmit, resetAfter = false }: FormProps) {
  const { t, lang } = useI18n();
  const s = resourceStrings[lang];
  const [draft, setDraft] = useState<Draft>(initial);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const ok = await attempt(() => onSubmit(draft), setError);
    if (ok) {
      setSaved(true);
      if (resetAfter) setDraft(EMPTY);
    }
  };
  return (
    <form class="admin-form resource-form" data-testid={`${idPrefix}-form`} onSubmit={(e) => void submit(e)}>
      {TEXT_FIELDS.map((field) => {
        const id = `${idPrefix}-${field}`;
        const long = field === "offer";
        const props = {
          id,
          "data-testid": id,
          maxLength: LIMITS[field],
          required: field === "name",
          value: draft[field],
          onInput: (e: Event) => setDraft({ ...draft, [field]: (e.currentTarget as HTMLInputElement).value }),
        };
        return (
          <div class="field" key={field}>
            <label for={id}>{s.fields[field]}</label>
            {long ? <textarea rows={2} {...props} /> : <input type={field === "url" ? "url" : field === "phone" ? "tel" : "text"} {...props} />}
          </div>
        );
      })}
      <button type="submit" class="primary" data-testid={`${idPrefix}-submit`}>
        {submitLabel}
      </button>
      {saved && (
        <span role="status" class="hint">
          {" "}
          {s.saved}
        </span>
      )}
      <ErrorNote error={error} {...adminNote(t)} />
    </form>
  );
}
