/** Wrap-up tags: add, rename, deactivate (a tag is never deleted, so past wrap-ups keep counting). */

import { useEffect, useState } from "preact/hooks";
import type { AdminApi } from "../api";
import { useI18n } from "../i18n";
import type { Tag } from "../types";
import { attempt, adminNote } from "../errors";
import { ErrorNote } from "../../shared/ErrorNote";

export function TagsPage({ admin }: { admin: AdminApi }) {
  const { t } = useI18n();
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void attempt(async () => setTags(await admin.tags()), setLoadError), []);
  const replace = (tag: Tag) => setTags((list) => (list ?? []).map((x) => (x.id === tag.id ? tag : x)));
  const add = async (e: Event) => {
    e.preventDefault();
    const ok = await attempt(async () => {
      const tag = await admin.createTag(name.trim());
      setTags((list) => [...(list ?? []), tag]);
    }, setError);
    if (ok) setName("");
  };
  return (
    <div class="admin-page">
      <h3>{t.admin.pages.tags}</h3>
      <p class="hint">{t.admin.tagsHint}</p>
      <ErrorNote error={loadError} {...adminNote(t)} />
      {tags?.length === 0 && <p class="hint">{t.noTags}</p>}
      <ul class="plain-list">
        {tags?.map((tag) => (
          <TagRow key={tag.id} admin={admin} tag={tag} onSaved={replace} />
        ))}
      </ul>
      <form class="admin-form inline-form" onSubmit={(e) => void add(e)}>
        <label for="new-tag">{t.admin.newTag}</label>
        <input id="new-tag" data-testid="new-tag-name" required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="primary" data-testid="new-tag-submit">
          {t.admin.add}
        </button>
        <ErrorNote error={error} {...adminNote(t)} />
      </form>
    </div>
  );
}

function TagRow({ admin, tag, onSaved }: { admin: AdminApi; tag: Tag; onSaved: (t: Tag) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(tag.name);
  const [error, setError] = useState<unknown>(null);
  const save = (body: { name?: string; active?: boolean }) =>
    void attempt(async () => onSaved(await admin.updateTag(tag.id, body)), setError);
  const id = `tag-${tag.id}`;
  return (
    <li class={tag.active ? "tag-row" : "tag-row inactive"} data-testid="tag-row" data-tag-id={tag.id} data-active={String(tag.active)}>
      <form class="inline-form" onSubmit={(e) => (e.preventDefault(), save({ name: name.trim() }))}>
        <label for={id} class="visually-hidden">
          {t.admin.tagName}
        </label>
        <input id={id} data-testid="tag-name" required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="small" data-testid="tag-save" disabled={name.trim() === tag.name}>
          {t.admin.rename}
        </button>
        <button type="button" class="small" data-testid="tag-toggle" onClick={() => save({ active: !tag.active })}>
          {tag.active ? t.admin.deactivate : t.admin.activate}
        </button>
        {!tag.active && <span class="hint">{t.admin.inactive}</span>}
      </form>
      <ErrorNote error={error} {...adminNote(t)} />
    </li>
  );
}
