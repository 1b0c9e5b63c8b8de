/** Service settings: routing mode and the duty timings. */

import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AdminApi } from "../api";
import { useI18n } from "../i18n";
import type { StaffTitle } from "../../shared/protocol";
import type { RoutingMode, ServiceSettings } from "../types";
import { attempt, adminNote } from "../errors";
import { ErrorNote } from "../../shared/ErrorNote";

type NumberKey = Exclude<keyof ServiceSettings, "routing_mode" | "mailbox_enabled" | "staff_title">;
const TITLES: readonly StaffTitle[] = ["socialsekreterare", "kurator", "socialarbetare"];
const NUMBERS: readonly { key: NumberKey; min: number; max: number }[] = [
  { key: "accept_timeout_s", min: 1, max: 3600 },
  { key: "presence_grace_s", min: 1, max: 3600 },
  { key: "visitor_grace_s", min: 1, max: 86400 },
  { key: "idle_close_minutes", min: 1, max: 1440 },
  { key: "block_hours", min: 1, max: 168 },
  { key: "default_capacity", min: 1, max: 20 },
  { key: "mailbox_answer_weekdays", min: 1, max: 30 },
  { key: "mailbox_offer_wait_minutes", min: 0, max: 1440 },
];

export function SettingsPage({ admin }: { admin: AdminApi }) {
  const { t } = useI18n();
  const [form, setForm] = useState<Record<keyof ServiceSettings, string> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const fill = (s: ServiceSettings) =>
    setForm(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)])) as Record<keyof ServiceSettings, string>);
  useEffect(() => void attempt(async () => fill(await admin.settings()), setError), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setSaved(false);
    const body: Partial<ServiceSettings> = {
      routing_mode: form.routing_mode as RoutingMode,
      staff_title: form.staff_title as StaffTitle,
      mailbox_enabled: form.mailbox_enabled === "true",
    };
    for (const { key } of NUMBERS) body[key] = Number(form[key]);
    const ok = await attempt(async () => fill(await admin.saveSettings(body)), setError);
    setSaved(ok);
    setBusy(false);
  };

  if (!form)
    return (
      <div class="admin-page">
        <h3>{t.admin.pages.settings}</h3>
        <ErrorNote error={error} {...adminNote(t)} />
        {!error && <p role="status">{t.loading}</p>}
      </div>
    );
  const set = (key: keyof ServiceSettings) => (e: Event) => {
    setSaved(false);
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  };
  return (
    <form class="admin-page admin-form" onSubmit={(e) => void submit(e)} data-testid="settings-form">
      <h3>{t.admin.pages.settings}</h3>
      <label for="setting-staff_title">{t.admin.settings.staff_title}</label>
      <select id="setting-staff_title" data-testid="setting-staff_title" value={form.staff_title} onChange={set("staff_title")}>
        {TITLES.map((title) => (
          <option key={title} value={title}>
            {t.admin.staffTitles[title]}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>{t.admin.settings.routing_mode}</legend>
        {(["manual", "auto"] as const).map((mode) => (
          <label key={mode} class="check">
            <input
              type="radio"
              name="routing_mode"
              value={mode}
              data-testid={`setting-routing-${mode}`}
              checked={form.routing_mode === mode}
              onChange={set("routing_mode")}
            />
            {t.admin.routingModes[mode]}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input
          type="checkbox"
          data-testid="setting-mailbox_enabled"
          checked={form.mailbox_enabled === "true"}
          onChange={(e) => {
            setSaved(false);
            setForm({ ...form, mailbox_enabled: String(e.currentTarget.checked) });
          }}
        />
        {t.admin.settings.mailbox_enabled}
      </label>
      <div class="form-grid">
        {NUMBERS.map(({ key, min, max }) => (
          <Fragment key={key}>
            <label for={`setting-${key}`}>
              {t.admin.settings[key]}
            </label>
            <input
              id={`setting-${key}`}
              data-testid={`setting-${key}`}
              type="number"
              class="narrow"
              required
              min={min}
              max={max}
              value={form[key]}
              onInput={set(key)}
            />
          </Fragment>
        ))}
      </div>
      <ErrorNote error={error} {...adminNote(t)} />
      {saved && !error && (
        <p class="ok" role="status" data-testid="settings-saved">
          {t.admin.saved}
        </p>
      )}
      <button type="submit" class="primary" data-testid="settings-save" disabled={busy}>
        {t.admin.save}
      </button>
    </form>
  );
}
