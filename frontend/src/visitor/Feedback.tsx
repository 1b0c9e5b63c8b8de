/** After the chat: up to three optional questions with fixed answers, skippable in one tap (app/feedback). */

import { useEffect, useState } from "preact/hooks";
import { afterChatStrings, feedbackForm, sendFeedback, type FeedbackAnswers, type Found } from "./afterChat";
import { useI18n } from "./i18n";
import { ErrorNote } from "../shared/ErrorNote";

const DONE_KEY = "lykta.feedback.done";
type Phase = "asking" | "thanks" | "hidden";

function doneFor(token: string): boolean {
  try {
    return sessionStorage.getItem(DONE_KEY) === token.slice(0, 8);
  } catch {
    return false;
  }
}

function markDone(token: string): void {
  try {
    sessionStorage.setItem(DONE_KEY, token.slice(0, 8));
  } catch {
    /* private mode: the server refuses a second answer anyway */
  }
}

export function Feedback({ token }: { token: string }) {
  const { lang } = useI18n();
  const s = afterChatStrings[lang];
  const [phase, setPhase] = useState<Phase>("hidden");
  const [answers, setAnswers] = useState<FeedbackAnswers>({});
  const [failed, setFailed] = useState(false);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (doneFor(token)) return;
    feedbackForm(token).then(
      (form) => {
        if (!form.open) return;
        if (form.found_guess) setAnswers((a) => ({ found: form.found_guess as Found, ...a }));
        setPhase("asking");
      },
      () => undefined, // no feedback step: the ended view works as before
    );
  }, [token]);

  const finish = (next: Phase) => {
    markDone(token);
    setPhase(next);
  };
  if (phase === "hidden") return null;
  if (phase === "thanks")
    return (
      <p class="feedback-thanks" role="status" data-testid="feedback-thanks">
        {s.thanks}
      </p>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!answers.helped && !answers.again && !answers.found) return finish("hidden");
    setSending(true);
    setFailed(false);
    try {
      await sendFeedback(token, answers);
      finish("thanks");
    } catch {
      setFailed(true);
    } finally {
      setSending(false);
    }
  };

  const question = <K extends keyof FeedbackAnswers>(key: K, q: string, options: Record<string, string>) => (
    <fieldset class="feedback-question" data-testid={`feedback-${key}`}>
      <legend>{q}</legend>
      <div class="feedback-options">
        {Object.entries(options).map(([value, label]) => (
          <label key={value} class="feedback-option">
            <input
              type="radio"
              name={`feedback-${key}`}
              value={value}
              checked={answers[key] === value}
              onChange={() => setAnswers((a) => ({ ...a, [key]: value }))}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );

  return (
    <section class="feedback" aria-labelledby="feedback-heading" data-testid="feedback">
      <h2 id="feedback-heading">{s.heading}</h2>
      <p class="hint">{s.intro}</p>
      <button type="button" class="feedback-skip" data-testid="feedback-skip" onClick={() => finish("hidden")}>
        {s.skip}
      </button>
      <form onSubmit={(e) => void submit(e)}>
        {question("helped", s.helped.q, s.helped.a)}
        {question("again", s.again.q, s.again.a)}
        {question("found", s.found.q, s.found.a)}
        <ErrorNote error={failed && s.failed} />
        <button type="submit" class="primary" data-testid="feedback-send" disabled={sending}>
          {s.send}
        </button>
      </form>
    </section>
  );
}
