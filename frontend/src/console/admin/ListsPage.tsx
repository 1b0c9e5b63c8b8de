/** The register's lists (space categories, indicator tags): add, rename, retire; entries are never deleted. */

import { useEffect, useState } from "preact/hooks";
import type { AdminList, OutreachApi } from "../outreach/api";
import type { ListItem } from "../outreach/types";
import { useI18n } from "../i18n";
import { attempt, adminNote } from "../errors";
import { ErrorNote } from "../../shared/ErrorNote";

export function ListsPage({ outreach, list }: { outreach: OutreachApi; list: AdminList }) {
  const { t } = useI18n();
  const a = t.admin;
  const texts = list === "space-categories" ? a.categoriesList : a.indicatorsList;
  const [items, setItems] = useState<ListItem[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setItems(await outreach.adminList(list)), setLoadError), [list]);
  const replace = (item: ListItem) => setItems((old) => (old ?? []).map((x) => (x.id === item.id ? item : x)));
  const add = async (e: Event) => {
    e.preventDefault();
    const ok = await attempt(async () => {
      const item = await outreach.adminCreate(list, name.trim());
      setItems((old) => [...(old ?? []), item]);
    }, setError);
    if (ok) setName("");
  };
  return (
    <div class="admin-page" data-testid={`list-page-${list}`}>
      <h3>{texts.heading}</h3>
      <p class="hint">{texts.hint}</p>
      <ErrorNote error={loadError} {...adminNote(t)} />
      {items?.length === 0 && <p class="hint">{texts.empty}</p>}
      <ul class="plain-list">
        {items?.map((item) => (
          <ListRow key={item.id} outreach={outreach} list={list} item={item} onSaved={replace} />
        ))}
      </ul>
      <form class="admin-form inline-form" onSubmit={(e) => void add(e)}>
        <label for={`new-${list}`}>{texts.add}</label>
        <input id={`new-${list}`} data-testid="new-list-name" required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="primary" data-testid="new-list-submit">
          {a.add}
        </button>
        <ErrorNote error={error} {...adminNote(t)} />
      </form>
    </div>
  );
}

function ListRow({ outreach, list, item, onSaved }: { outreach: OutreachApi; list: AdminList; item: ListItem; onSaved: (i: ListItem) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(item.name);
  const [error, setError] = useState<unknown>(null);
  const save = (body: { name?: string; active?: boolean }) => void attempt(async () => onSaved(await outreach.adminUpdate(list, item.id, body)), setError);
  const id = `${list}-${item.id}`;
  return (
    <li class={item.active ? "tag-row" : "tag-row inactive"} data-testid="list-row" data-item-id={item.id} data-name={item.name} data-active={String(item.active)}>
      <form class="inline-form" onSubmit={(e) => (e.preventDefault(), save({ name: name.trim() }))}>
        <label for={id} class="visually-hidden">
          {t.admin.nameOf(item.name)}
        </label>
        <input id={id} data-testid="list-name" required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="small" data-testid="list-save" disabled={name.trim() === item.name}>
          {t.admin.rename}
        </button>
        <button type="button" class="small" data-testid="list-toggle" onClick={() => save({ active: !item.active })}>
          {item.active ? t.admin.deactivate : t.admin.activate}
        </button>
        {!item.active && <span class="hint">{t.admin.inactive}</span>}
      </form>
      <ErrorNote error={error} {...adminNote(t)} />
    </li>
  );
}
