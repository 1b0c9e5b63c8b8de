/** Internal notes of one conversation (staff only): the list, live, and a box to add a note or whisper. */

import { useEffect, useState } from "preact/hooks";
import { formatTime } from "../shared/i18n";
import type { Note } from "../shared/protocol";
import { addNote, loadNotes } from "./actions";
import { ErrorNote } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel, ConvEntry } from "./model";

interface Props {
  model: ConsoleModel;
  entry: ConvEntry;
  /** "whisper": a supervisor monitoring; the counselor sees it, the visitor never does. */
  kind: "note" | "whisper";
}

export function NotesPanel({ model, entry, kind }: Props) {
  const { t } = useI18n();
  const id = entry.conv.conversation_id;
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (entry.notes === null) loadNotes(model, id).catch((err) => setError(err));
  }, [id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = draft.trim();
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      await addNote(model, id, body, kind);
      setDraft("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const notes = entry.notes ?? [];
  const inputId = `note-input-${id}`;
  return (
    <section class="notes" aria-labelledby={`notes-h-${id}`} data-testid="notes">
      <h3 id={`notes-h-${id}`}>
        {t.notesHeading}
        {entry.newNotes > 0 && (
          <span class="badge" data-testid="notes-new">
            {t.notesNew(entry.newNotes)}
          </span>
        )}
      </h3>
      <p class="hint">{t.notesHint}</p>
      {entry.notes !== null && notes.length === 0 && <p class="hint">{t.noNotes}</p>}
      <ol class="note-list" aria-live="polite" aria-relevant="additions">
        {notes.map((n) => (
          <NoteItem key={n.id} note={n} />
        ))}
      </ol>
      <form class="note-form" onSubmit={(e) => void submit(e)}>
        <label for={inputId}>{kind === "whisper" ? t.whisperLabel : t.noteLabel}</label>
        {kind === "whisper" && <p class="hint">{t.whisperHint}</p>}
        <textarea
          id={inputId}
          data-testid={kind === "whisper" ? "whisper-input" : "note-input"}
          rows={2}
          maxLength={2000}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void submit(e);
          }}
        />
        <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} testid="note-error" />
        <button
          type="submit"
          class={kind === "whisper" ? "primary whisper-send" : ""}
          data-testid={kind === "whisper" ? "whisper-send" : "note-add"}
          disabled={busy || !draft.trim()}
        >
          {kind === "whisper" ? t.sendWhisper : t.addNote}
        </button>
      </form>
    </section>
  );
}

function NoteItem({ note }: { note: Note }) {
  const { t, lang } = useI18n();
  return (
    <li class={`note note-${note.kind}`} data-testid="note" data-kind={note.kind}>
      <span class="note-who">
        <span class="note-kind">{t.noteKinds[note.kind]}</span>
        {note.author_alias && ` · ${note.author_alias}`}
        <time dateTime={note.created_at}> {formatTime(note.created_at, lang)}</time>
      </span>
      <span class="note-body">{note.body}</span>
    </li>
  );
}
