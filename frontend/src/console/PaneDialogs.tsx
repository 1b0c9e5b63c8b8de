/** The pane's dialogs: transfer (colleague or queue, with a note), wrap-up on close, block. */

import { useEffect, useState } from "preact/hooks";
import { AGE_BANDS, TOPICS, type AgeBand, type Conversation, type Topic } from "../shared/protocol";
import { blockChat, closeChat, transferChat } from "./actions";
import { Dialog } from "./Dialog";
import { ErrorNote } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";
import type { Colleague, Tag, WrapUp } from "./types";

interface Props {
  model: ConsoleModel;
  conv: Conversation;
  onClose: () => void;
}

const QUEUE = "queue";

export function TransferDialog({ model, conv, onClose }: Props) {
  const { t } = useI18n();
  const [colleagues, setColleagues] = useState<Colleague[] | null>(null);
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    model.api.colleagues().then(
      (items) => {
        setColleagues(items);
        setTo(items[0] ? String(items[0].id) : QUEUE);
      },
      (err) => {
        setColleagues([]);
        setTo(QUEUE);
        setError(err);
      },
    );
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await transferChat(model, conv.conversation_id, to === QUEUE ? null : Number(to), note);
      onClose();
    } catch (err) {
      setError(err);
      if (to !== QUEUE) void model.api.colleagues().then(setColleagues, () => undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t.transferHeading} testid="transfer-dialog" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <label for="transfer-to">{t.transferTo}</label>
        <select
          id="transfer-to"
          data-testid="transfer-to"
          value={to}
          disabled={colleagues === null}
          onChange={(e) => setTo(e.currentTarget.value)}
        >
          {(colleagues ?? []).map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.display_name && c.display_name !== c.alias ? `${c.alias} (${c.display_name})` : c.alias}
            </option>
          ))}
          <option value={QUEUE}>{t.backToQueue}</option>
        </select>
        {colleagues !== null && colleagues.length === 0 && <p class="hint">{t.noColleagues}</p>}
        <label for="transfer-note">{t.transferNote}</label>
        <textarea
          id="transfer-note"
          data-testid="transfer-note"
          rows={3}
          maxLength={2000}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
        <p class="hint">{to === QUEUE ? t.transferQueueHint : t.transferColleagueHint}</p>
        <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} testid="transfer-error" />
        <div class="dialog-actions">
          <button type="button" data-testid="transfer-cancel" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="primary" data-testid="transfer-submit" disabled={busy || colleagues === null}>
            {t.transferSubmit}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function WrapUpDialog({ model, conv, onClose }: Props) {
  const { t } = useI18n();
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [age, setAge] = useState("");
  const [topic, setTopic] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    model.api.tags().then(
      (items) => setTags(items.filter((tag) => tag.active)),
      () => setTags([]),
    );
  }, []);

  const toggle = (id: number, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const wrapUp: WrapUp = { tags: [...chosen] };
    if (age) wrapUp.age_band = age as AgeBand;
    if (topic) wrapUp.topic = topic as Topic;
    try {
      await closeChat(model, conv.conversation_id, wrapUp);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t.wrapUpHeading} testid="wrapup-dialog" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset class="checks">
          <legend>{t.wrapUpTags}</legend>
          {tags === null && <p class="hint">{t.loading}</p>}
          {tags?.length === 0 && <p class="hint">{t.noTags}</p>}
          {tags?.map((tag) => (
            <label key={tag.id} class="check">
              <input
                type="checkbox"
                data-testid="wrapup-tag"
                value={String(tag.id)}
                checked={chosen.has(tag.id)}
                onChange={(e) => toggle(tag.id, e.currentTarget.checked)}
              />
              {tag.name}
            </label>
          ))}
        </fieldset>
        <label for="wrapup-age">{t.wrapUpAge}</label>
        <select id="wrapup-age" data-testid="wrapup-age" value={age} onChange={(e) => setAge(e.currentTarget.value)}>
          <option value="">{t.unchanged(conv.age_band ? t.ages[conv.age_band] : t.unknown)}</option>
          {AGE_BANDS.map((a) => (
            <option key={a} value={a}>
              {t.ages[a]}
            </option>
          ))}
        </select>
        <label for="wrapup-topic">{t.wrapUpTopic}</label>
        <select id="wrapup-topic" data-testid="wrapup-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
          <option value="">{t.unchanged(conv.topic ? t.topics[conv.topic] : t.unknown)}</option>
          {TOPICS.map((k) => (
            <option key={k} value={k}>
              {t.topics[k]}
            </option>
          ))}
        </select>
        <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} testid="wrapup-error" />
        <div class="dialog-actions">
          <button type="button" data-testid="wrapup-cancel" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="primary danger-fill" data-testid="close-confirm" disabled={busy}>
            {t.closeConfirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function BlockDialog({ model, conv, onClose }: Props) {
  const { t } = useI18n();
  const [hours, setHours] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await blockChat(model, conv.conversation_id, hours ? Number(hours) : undefined);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t.blockHeading} testid="block-dialog" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>{t.blockExplain}</p>
        <label for="block-hours">{t.blockHours}</label>
        <input
          id="block-hours"
          data-testid="block-hours"
          type="number"
          inputMode="numeric"
          min={1}
          max={168}
          placeholder={t.blockHoursDefault}
          value={hours}
          onInput={(e) => setHours(e.currentTarget.value)}
        />
        <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} testid="block-error" />
        <div class="dialog-actions">
          <button type="button" data-testid="block-cancel" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" class="primary danger-fill" data-testid="block-confirm" disabled={busy}>
            {t.blockConfirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
