/** Create or edit a space: the site or section (never an ad), its category, age gate and notes about the space. */

import { useState } from "preact/hooks";
import { attempt } from "../errors";
import { useI18n } from "../i18n";
import type { OutreachApi } from "./api";
import { outreachNote } from "./problem";
import type { ListItem, Space } from "./types";
import { ErrorNote } from "../../shared/ErrorNote";

interface Props {
  outreach: OutreachApi;
  categories: ListItem[];
  /** The space to edit; null creates a new one. */
  space: Space | null;
  onSaved: (space: Space) => void;
  onCancel: () => void;
}

export function SpaceForm({ outreach, categories, space, onSaved, onCancel }: Props) {
  const { t } = useI18n();
  const o = t.outreach;
  const [name, setName] = useState(space?.name ?? "");
  const [categoryId, setCategoryId] = useState(String(space?.category?.id ?? categories[0]?.id ?? ""));
  const [address, setAddress] = useState(space?.address ?? "https://");
  const [ageGate, setAgeGate] = useState(space?.age_gate ?? false);
  const [notes, setNotes] = useState(space?.notes ?? "");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const options = [...categories];
  if (space?.category && !options.some((c) => c.id === space.category?.id)) options.push({ ...space.category, active: false });
  const prefix = space ? `space-${space.id}` : "space-new";

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const body = { name: name.trim(), category_id: Number(categoryId), address: address.trim(), age_gate: ageGate, notes: notes.trim() };
    await attempt(async () => onSaved(space ? await outreach.updateSpace(space.id, body) : await outreach.createSpace(body)), setError);
    setBusy(false);
  };

  return (
    <form class="admin-form outreach-form" data-testid="space-form" onSubmit={(e) => void submit(e)}>
      <h4>{space ? o.editSpace(space.name) : o.newSpace}</h4>
      <div class="form-grid">
        <label for={`${prefix}-name`}>{o.spaceName}</label>
        <input id={`${prefix}-name`} data-testid="space-name" required maxLength={128} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for={`${prefix}-category`}>{o.category}</label>
        <select id={`${prefix}-category`} data-testid="space-category" required value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.active ? c.name : `${c.name} (${o.retired})`}
            </option>
          ))}
        </select>
        <label for={`${prefix}-address`}>{o.address}</label>
        <div>
          <input
            id={`${prefix}-address`}
            data-testid="space-address"
            type="url"
            required
            maxLength={500}
            aria-describedby={`${prefix}-address-hint`}
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
          <p class="hint" id={`${prefix}-address-hint`}>
            {o.addressHint}
          </p>
        </div>
        <span />
        <label class="check">
          <input type="checkbox" data-testid="space-age-gate" checked={ageGate} onChange={(e) => setAgeGate(e.currentTarget.checked)} />
          {o.ageGateLabel}
        </label>
        <label for={`${prefix}-notes`}>{o.spaceNotes}</label>
        <div>
          <textarea
            id={`${prefix}-notes`}
            data-testid="space-notes"
            rows={3}
            maxLength={2000}
            aria-describedby={`${prefix}-notes-hint`}
            value={notes}
            onInput={(e) => setNotes(e.currentTarget.value)}
          />
          <p class="hint privacy-hint" id={`${prefix}-notes-hint`}>
            {o.privacyHint}
          </p>
        </div>
      </div>
      <ErrorNote error={error} {...outreachNote(error, t)} />
      <div class="row-actions">
        <button type="submit" class="primary" data-testid="space-save" disabled={busy || !categoryId}>
          {space ? o.save : o.createSpace}
        </button>
        <button type="button" data-testid="space-cancel" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
