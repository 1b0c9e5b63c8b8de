/** A thread read back with its code: the letters and answers, a box to write back, and (while the chat is
 * open) the way into a live chat. The code is held in this page's memory only. */

import { useState } from "preact/hooks";
import { ApiError, type StartedConversation } from "../../shared/api";
import { formatDateTime } from "../../shared/i18n";
import { useI18n } from "../i18n";
import { threadToChat, writeBack, type MailboxThread } from "./api";
import { ErrorNote } from "../../shared/ErrorNote";

const MAX_LETTER = 4000;

interface Props {
  code: string;
  thread: MailboxThread;
  onThread: (thread: MailboxThread) => void;
  onChat: (started: StartedConversation) => void;
  onLeave: () => void;
}

export function ThreadView({ code, thread, onThread, onChat, onLeave }: Props) {
  const { t, lang } = useI18n();
  const m = t.mailbox;
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const failed = (err: unknown) => {
    if (err instanceof ApiError && err.status === 404) setError(m.codeExpired);
    else if (err instanceof ApiError && err.status === 429) setError(t.rateLimited);
    else if (err instanceof ApiError && err.code === "too_many_letters") setError(m.tooMany);
    else if (err instanceof ApiError && err.code === "thread_closed") setError(m.closedThread);
    else setError(m.sendError);
  };

  const send = async (e: Event) => {
    e.preventDefault();
    const body = draft.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    try {
      onThread(await writeBack(code, body));
      setDraft("");
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const chat = async () => {
    setBusy(true);
    setError(null);
    try {
      onChat(await threadToChat(code));
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) {
        setError(m.chatClosed);
        onThread({ ...thread, open: false });
      } else failed(err);
    } finally {
      setBusy(false);
    }
  };

  const unanswered = thread.state === "waiting" || thread.state === "claimed";
  return (
    <section aria-labelledby="heading" class="mailbox-thread">
      <h1 id="heading">{m.threadHeading}</h1>
      <ol class="messages" data-testid="mailbox-thread">
        {thread.entries.map((entry, i) => (
          <li key={i} class={`msg msg-${entry.author}`} data-testid="letter" data-author={entry.author}>
            <span class="msg-who">{entry.author === "visitor" ? m.you : (entry.alias ?? m.counselorFallback)}</span>
            <span class="msg-body">{entry.body}</span>
            <time class="msg-mark" dateTime={entry.at}>
              {formatDateTime(entry.at, lang)}
            </time>
          </li>
        ))}
      </ol>
      {unanswered && (
        <p class="notice quiet" data-testid="mailbox-waiting">
          {m.waitingForAnswer(thread.answer_weekdays)}
        </p>
      )}
      {thread.state === "closed" && <p class="notice quiet">{m.closedThread}</p>}
      {thread.open && (
        <div class="mailbox-chat" data-testid="mailbox-chat-offer">
          <p class="follow-up-label">{m.chatNowHeading}</p>
          <p>{m.chatNowNote}</p>
          <button type="button" class="primary" data-testid="mailbox-chat" disabled={busy} onClick={() => void chat()}>
            {busy ? m.startingChat : m.chatNow}
          </button>
        </div>
      )}
      {thread.can_write ? (
        <form class="letter" onSubmit={(e) => void send(e)}>
          <label for="reply-body">{m.writeBackLabel}</label>
          <p class="hint" id="reply-hint">
            {m.writeBackHint}
          </p>
          <textarea
            id="reply-body"
            data-testid="mailbox-reply"
            aria-describedby="reply-hint"
            rows={5}
            maxLength={MAX_LETTER}
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit" data-testid="mailbox-reply-send" disabled={busy || !draft.trim()} aria-busy={busy}>
            {busy ? m.sending : m.send}
          </button>
        </form>
      ) : (
        thread.state !== "closed" && <p class="hint">{m.tooMany}</p>
      )}
      <ErrorNote error={error} testid="mailbox-error" />
      <button type="button" class="back" data-testid="mailbox-leave" onClick={onLeave}>
        {m.leaveThread}
      </button>
    </section>
  );
}
