/** One letter, with the same optional age band and topic as a chat; nothing else is asked. */

import { useState } from "preact/hooks";
import { ApiError } from "../../shared/api";
import type { AgeBand, Topic } from "../../shared/protocol";
import { useI18n } from "../i18n";
import { OptionalChoices } from "../OptionalChoices";
import { writeLetter, type LetterSent } from "./api";
import { ErrorNote } from "../../shared/ErrorNote";

const MAX_LETTER = 4000;

interface Props {
  linkCode: string;
  onSent: (sent: LetterSent) => void;
  onBack: () => void;
}

export function WriteView({ linkCode, onSent, onBack }: Props) {
  const { t, lang } = useI18n();
  const m = t.mailbox;
  const [body, setBody] = useState("");
  const [age, setAge] = useState("");
  const [topic, setTopic] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const text = body.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    try {
      onSent(
        await writeLetter({
          body: text,
          language: lang,
          ...(linkCode ? { link_code: linkCode } : {}),
          ...(age ? { age_band: age as AgeBand } : {}),
          ...(topic ? { topic: topic as Topic } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t.rateLimited);
      else if (err instanceof ApiError && err.code === "mailbox_off") setError(m.mailboxOff);
      else setError(m.sendError); // the text stays in the box
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="heading">
      <h1 id="heading">{m.writeHeading}</h1>
      <p>{m.writeIntro}</p>
      <form class="letter" onSubmit={(e) => void submit(e)}>
        <label for="letter-body">{m.letterLabel}</label>
        <p class="hint" id="letter-hint">
          {m.letterHint}
        </p>
        <textarea
          id="letter-body"
          data-testid="letter-body"
          aria-describedby="letter-hint"
          rows={8}
          maxLength={MAX_LETTER}
          required
          value={body}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
        <OptionalChoices
          ids={{ age: "letter-age", topic: "letter-topic" }}
          age={age}
          topic={topic}
          onAge={setAge}
          onTopic={setTopic}
          noteShown
        />
        <ErrorNote error={error} testid="letter-error" />
        <button type="submit" class="primary" data-testid="letter-send" disabled={busy || !body.trim()} aria-busy={busy}>
          {busy ? m.sending : m.send}
        </button>
      </form>
      <button type="button" class="back" data-testid="letter-back" onClick={onBack}>
        {m.back}
      </button>
    </section>
  );
}
