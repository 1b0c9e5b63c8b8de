/** One letter's thread for the counselor who holds it: the letters and answers, the answer box (canned
 * replies as in a chat), staff notes, put back or close. */

import { useState } from "preact/hooks";
import { formatDateTime } from "../../shared/i18n";
import { CannedComposer, useCannedReplies } from "../CannedComposer";
import { ErrorNote } from "../../shared/ErrorNote";
import { useI18n } from "../i18n";
import type { ConsoleModel } from "../model";
import type { MailboxApi, ThreadDetail } from "./api";

interface Props {
  model: ConsoleModel;
  mailbox: MailboxApi;
  detail: ThreadDetail;
  onDetail: (detail: ThreadDetail) => void;
  onChanged: () => void;
}

export function ThreadPane({ model, mailbox, detail, onDetail, onChanged }: Props) {
  const { t, lang } = useI18n();
  const m = t.mailbox;
  const thread = detail.thread;
  const id = thread.thread_id;
  const [draft, setDraft] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const replies = useCannedReplies(model, thread.language ?? "sv");
  const holding = thread.state === "claimed" && thread.counselor_id === model.me.id;

  const run = async (work: () => Promise<ThreadDetail | null>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await work();
      if (next) onDetail(next);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const saveNote = (e: Event) => {
    e.preventDefault();
    const body = note.trim();
    if (!body) return;
    void run(async () => {
      const saved = await mailbox.addNote(id, body);
      setNote("");
      return { ...detail, notes: [...detail.notes, saved] };
    });
  };

  return (
    <article class="letter-pane" data-testid="letter-pane" data-thread-id={id} data-state={thread.state}>
      <div class="pane-head">
        <span class="state" data-testid="letter-state">
          {m.states[thread.state] ?? thread.state}
        </span>
        {holding && (
          <span class="pane-actions">
            <button type="button" data-testid="letter-release" disabled={busy} onClick={() => void run(() => mailbox.release(id))}>
              {m.release}
            </button>
            <button type="button" class="danger" data-testid="letter-close" disabled={busy} onClick={() => void run(() => mailbox.close(id))}>
              {m.close}
            </button>
          </span>
        )}
      </div>
      <ol class="transcript" aria-label={m.threadHeading} tabIndex={0} data-testid="letter-entries">
        {detail.entries.map((e) => (
          <li key={e.id} class={`msg msg-${e.author}`} data-testid="letter-entry" data-author={e.author}>
            <span class="msg-who">
              {e.author === "visitor" ? m.visitor : e.alias ?? m.you} <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
            </span>
            <span class="msg-body">{e.body}</span>
          </li>
        ))}
      </ol>
      {thread.state === "answered" && (
        <p class="hint" role="status" data-testid="letter-answered">
          {m.answered}
        </p>
      )}
      {thread.state === "closed" && <p class="hint">{m.closed}</p>}
      {holding && (
        <div class="letter-answer">
          <CannedComposer
            id={`answer-${id}`}
            value={draft}
            disabled={busy}
            replies={replies}
            onInput={setDraft}
            onBlur={() => undefined}
            onSend={(body) => void run(async () => {
              const next = await mailbox.answer(id, body);
              setDraft("");
              return next;
            })}
          />
        </div>
      )}
      <ErrorNote error={error} known={m.errorCodes} fallback={t.requestFailed} testid="letter-error" />
      <section class="notes" aria-labelledby={`letter-notes-${id}`}>
        <h3 id={`letter-notes-${id}`}>{m.notesHeading}</h3>
        <ol class="note-list">
          {detail.notes.map((n) => (
            <li key={n.id} class="note" data-testid="letter-note">
              <span class="note-who">
                {n.author_alias ?? ""} <time dateTime={n.at}>{formatDateTime(n.at, lang)}</time>
              </span>
              <span class="note-body">{n.body}</span>
            </li>
          ))}
        </ol>
        <form class="note-form" onSubmit={saveNote}>
          <label for={`letter-note-${id}`}>{m.noteLabel}</label>
          <textarea
            id={`letter-note-${id}`}
            data-testid="letter-note-input"
            rows={2}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button type="submit" data-testid="letter-note-add" disabled={busy || !note.trim()}>
            {m.addNote}
          </button>
        </form>
      </section>
    </article>
  );
}
