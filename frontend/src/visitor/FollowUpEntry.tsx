/** "Do you have a code?": a small, folded form on the start views that opens a mailbox thread by its code,
 * or (while the chat is open) reopens an ended conversation by its follow-up code. */

import { useState } from "preact/hooks";
import { ApiError, type StartedConversation } from "../shared/api";
import { useI18n } from "./i18n";
import { redeemCode, type MailboxThread } from "./mailbox/api";
import { ErrorNote } from "../shared/ErrorNote";

interface Props {
  /** The chat is open: a code that is not a letter's may be an ended chat's. */
  open: boolean;
  /** A letter's code: show its thread (the code stays in this page's memory only). */
  onThread: (code: string, thread: MailboxThread) => void;
  /** The conversation is open again: store it like a new start and open the chat. */
  onResumed: (res: StartedConversation) => void;
  /** 503 closed: nobody is on duty (the code is not used up). */
  onClosed: (nextOpening: string | null) => void;
}

export function FollowUpEntry({ open, onThread, onResumed, onClosed }: Props) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = code.trim();
    if (!value || busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await redeemCode(value, open);
      setCode("");
      if (res.kind === "thread") onThread(res.code, res.thread);
      else onResumed(res.started);
    } catch (err) {
      if (err instanceof ApiError && err.status === 503) {
        onClosed(typeof err.body.next_opening === "string" ? err.body.next_opening : null);
      } else if (err instanceof ApiError && err.status === 429) setError(t.followUpWait(err.retryAfter ?? 60));
      else if (err instanceof ApiError && (err.status === 404 || err.status === 422)) setError(t.followUpUnknown);
      else setError(t.followUpError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="follow-up-entry" data-testid="follow-up-entry">
      <summary data-testid="follow-up-toggle">{t.followUpEntry}</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label for="follow-up-input">{t.followUpCodeLabel}</label>
        <p class="hint" id="follow-up-hint">
          {t.followUpCodeHint}
        </p>
        <input
          id="follow-up-input"
          data-testid="follow-up-input"
          aria-describedby="follow-up-hint"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          maxLength={64}
          required
          value={code}
          onInput={(e) => {
            setCode(e.currentTarget.value);
            setError(null);
          }}
        />
        <ErrorNote error={error} testid="follow-up-error" />
        <button type="submit" data-testid="follow-up-submit" disabled={busy} aria-busy={busy}>
          {busy ? t.followUpSending : t.followUpSubmit}
        </button>
      </form>
    </details>
  );
}
