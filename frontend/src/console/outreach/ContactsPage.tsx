/** Contacts made outside the chat (a message, comment or post in a space): no names, numbers or handles. */

import { useEffect, useState } from "preact/hooks";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import type { OutreachApi } from "./api";
import { isoDay } from "./dates";
import { outreachNote } from "./problem";
import { CHANNELS, type Channel, type Contact, type Space, type Template } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

export function ContactsPage({ outreach }: { outreach: OutreachApi }) {
  const { t } = useI18n();
  const o = t.outreach;
  const [items, setItems] = useState<Contact[] | null>(null);
  const [spaces, setSpaces] = useState<Space[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setItems(await outreach.contacts(filter ? Number(filter) : undefined)), setError), [filter]);
  useEffect(
    () =>
      void attempt(async () => {
        const [s, tpl] = await Promise.all([outreach.spaces(true), outreach.templates(true)]);
        setSpaces(s);
        setTemplates(tpl);
      }, setError),
    [],
  );
  const spaceName = (id: number) => spaces.find((s) => s.id === id)?.name ?? `#${id}`;
  const templateName = (id: number | null) => (id === null ? "–" : (templates.find((x) => x.id === id)?.name ?? `#${id}`));
  const replace = (c: Contact) => setItems((list) => (list ?? []).map((x) => (x.id === c.id ? c : x)));
  const setAnswered = (c: Contact, answered: boolean) => void attempt(async () => replace(await outreach.setAnswered(c.id, answered)), setError);

  return (
    <div class="admin-page">
      <h3>{o.pages.contacts}</h3>
      <p class="hint">{o.contactsHint}</p>
      <NewContactForm
        outreach={outreach}
        spaces={spaces.filter((s) => s.active)}
        templates={templates.filter((x) => x.active)}
        onCreated={(c) => setItems((list) => [c, ...(list ?? [])])}
      />
      <div class="toolbar">
        <label class="inline" for="contact-filter-space">
          {o.space}
        </label>
        <select id="contact-filter-space" data-testid="contact-filter-space" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
          <option value="">{o.allSpaces}</option>
          {spaces.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      {items?.length === 0 && <p class="hint">{o.noContacts}</p>}
      {items && items.length > 0 && (
        <div class="table-scroll">
          <table class="admin-table" data-testid="contact-table">
            <thead>
              <tr>
                <th scope="col">{o.day}</th>
                <th scope="col">{o.space}</th>
                <th scope="col">{o.channel}</th>
                <th scope="col">{o.template}</th>
                <th scope="col">{o.gotAnswer}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} data-testid="contact-row" data-contact-id={c.id}>
                  <th scope="row" class="date">
                    {c.day}
                  </th>
                  <td>{spaceName(c.space_id)}</td>
                  <td>{o.channels[c.channel]}</td>
                  <td>{templateName(c.template_id)}</td>
                  <td>
                    <label class="check">
                      <input type="checkbox" data-testid="contact-answered" checked={c.answered} onChange={(e) => setAnswered(c, e.currentTarget.checked)} />
                      <span class="visually-hidden">{o.answeredOn(c.day)}</span>
                      {c.answered ? o.yes : o.no}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function NewContactForm(props: { outreach: OutreachApi; spaces: Space[]; templates: Template[]; onCreated: (c: Contact) => void }) {
  const { outreach, spaces, templates, onCreated } = props;
  const { t } = useI18n();
  const o = t.outreach;
  const today = isoDay(new Date());
  const [spaceId, setSpaceId] = useState("");
  const [day, setDay] = useState(today);
  const [channel, setChannel] = useState<Channel>("message");
  const [templateId, setTemplateId] = useState("");
  const [answered, setAnsweredBox] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const chosen = spaceId || String(spaces[0]?.id ?? "");
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    const body = { space_id: Number(chosen), day, channel, answered, ...(templateId ? { template_id: Number(templateId) } : {}) };
    const ok = await attempt(async () => onCreated(await outreach.createContact(body)), setError);
    if (ok) {
      setDone(true);
      setAnsweredBox(false);
    }
  };
  return (
    <form class="admin-form outreach-form" data-testid="contact-form" onSubmit={(e) => void submit(e)}>
      <h4>{o.newContact}</h4>
      <div class="form-grid">
        <label for="contact-space">{o.space}</label>
        <select id="contact-space" data-testid="contact-space" required value={chosen} onChange={(e) => setSpaceId(e.currentTarget.value)}>
          {spaces.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label for="contact-day">{o.day}</label>
        <input id="contact-day" data-testid="contact-day" type="date" required min="2000-01-01" max={today} value={day} onInput={(e) => setDay(e.currentTarget.value)} />
        <label for="contact-channel">{o.channel}</label>
        <select id="contact-channel" data-testid="contact-channel" value={channel} onChange={(e) => setChannel(CHANNELS.find((c) => c === e.currentTarget.value) ?? "message")}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {o.channels[c]}
            </option>
          ))}
        </select>
        <label for="contact-template">{o.template}</label>
        <select id="contact-template" data-testid="contact-template" value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)}>
          <option value="">{o.noTemplate}</option>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name} ({x.language})
            </option>
          ))}
        </select>
        <span />
        <label class="check">
          <input type="checkbox" data-testid="contact-answered-new" checked={answered} onChange={(e) => setAnsweredBox(e.currentTarget.checked)} />
          {o.gotAnswer}
        </label>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      {done && (
        <p class="ok" role="status" data-testid="contact-created">
          {o.contactSaved}
        </p>
      )}
      <button type="submit" class="primary" data-testid="contact-save" disabled={!chosen}>
        {o.addContact}
      </button>
    </form>
  );
}
