/** Message templates (Swedish and English) that go with a link: `{link}` marks where the link goes. */

import { useEffect, useState } from "preact/hooks";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import type { OutreachApi } from "./api";
import { outreachNote } from "./problem";
import { TEMPLATE_LANGUAGES, type Template } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

export function TemplatesPage({ outreach }: { outreach: OutreachApi }) {
  const { t } = useI18n();
  const o = t.outreach;
  const [items, setItems] = useState<Template[] | null>(null);
  const [includeRetired, setIncludeRetired] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setItems(await outreach.templates(includeRetired)), setLoadError), [includeRetired]);
  const replace = (tpl: Template) => setItems((list) => (list ?? []).map((x) => (x.id === tpl.id ? tpl : x)));
  return (
    <div class="admin-page">
      <h3>{o.pages.templates}</h3>
      <p class="hint">{o.templatesHint}</p>
      <label class="check">
        <input type="checkbox" data-testid="template-show-retired" checked={includeRetired} onChange={(e) => setIncludeRetired(e.currentTarget.checked)} />
        {o.showRetiredTemplates}
      </label>
      <ErrorNote error={loadError} {...outreachNote(loadError, t)} />
      {items?.length === 0 && <p class="hint">{o.noTemplates}</p>}
      <ul class="plain-list">
        {items?.map((tpl) => (
          <TemplateRow key={tpl.id} outreach={outreach} template={tpl} onSaved={replace} />
        ))}
      </ul>
      <NewTemplateForm outreach={outreach} onCreated={(tpl) => setItems((list) => [...(list ?? []), tpl])} />
    </div>
  );
}

function TemplateRow({ outreach, template, onSaved }: { outreach: OutreachApi; template: Template; onSaved: (t: Template) => void }) {
  const { t } = useI18n();
  const o = t.outreach;
  const [error, setError] = useState<unknown>(null);
  const toggle = () => void attempt(async () => onSaved(await outreach.updateTemplate(template.id, { active: !template.active })), setError);
  return (
    <li class={template.active ? "canned-row" : "canned-row inactive"} data-testid="template-row" data-template-id={template.id} data-active={String(template.active)}>
      <div class="canned-line">
        <span class="lang-tag">{template.language}</span>
        <strong>{template.name}</strong>
        <span class="canned-text" data-testid="template-body">
          {template.body}
        </span>
        {!template.active && <span class="pill pill-off">{o.retired}</span>}
        <button type="button" class="small" data-testid="template-toggle" onClick={toggle}>
          {template.active ? o.retire : o.reactivate}
        </button>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
    </li>
  );
}

function NewTemplateForm({ outreach, onCreated }: { outreach: OutreachApi; onCreated: (t: Template) => void }) {
  const { t, lang } = useI18n();
  const o = t.outreach;
  const [name, setName] = useState("");
  const [language, setLanguage] = useState<string>(lang);
  const [body, setBody] = useState("");
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await attempt(async () => onCreated(await outreach.createTemplate({ name: name.trim(), language, body: body.trim() })), setError);
    if (ok) {
      setName("");
      setBody("");
    }
  };
  return (
    <form class="admin-form outreach-form" data-testid="template-form" onSubmit={(e) => void submit(e)}>
      <h4>{o.newTemplate}</h4>
      <div class="form-grid">
        <label for="template-name">{o.templateName}</label>
        <input id="template-name" data-testid="template-name" required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="template-language">{o.language}</label>
        <select id="template-language" data-testid="template-language" value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
          {TEMPLATE_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t.languages[l] ?? l}
            </option>
          ))}
        </select>
        <label for="template-body">{o.templateBody}</label>
        <div>
          <textarea
            id="template-body"
            data-testid="template-body-input"
            required
            rows={3}
            maxLength={500}
            aria-describedby="template-body-hint"
            value={body}
            onInput={(e) => setBody(e.currentTarget.value)}
          />
          <p class="hint" id="template-body-hint">
            {o.templateBodyHint}
          </p>
        </div>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      <button type="submit" class="primary" data-testid="template-save">
        {o.addTemplate}
      </button>
    </form>
  );
}
