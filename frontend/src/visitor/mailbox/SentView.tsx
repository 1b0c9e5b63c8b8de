/** The code, shown once: the promise, how to come back, and a plain line on keeping it safe. */

import { useEffect, useRef } from "preact/hooks";
import { useI18n } from "../i18n";
import type { LetterSent } from "./api";

/** ABCD-EFGH-JKMN: easier to copy by hand (dashes and case are ignored when it is typed back). */
export function groupCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

export function SentView({ sent, onDone }: { sent: LetterSent; onDone: () => void }) {
  const { t } = useI18n();
  const m = t.mailbox;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="heading">
      <h1 id="heading" ref={heading} tabIndex={-1}>
        {m.sentHeading}
      </h1>
      <div class="follow-up">
        <p class="follow-up-label">{m.codeLabel}</p>
        <p class="code" data-testid="mailbox-code">
          {groupCode(sent.code)}
        </p>
        <p>{m.promise(sent.answer_weekdays)}</p>
        <p>
          <strong>{m.writeDown}</strong>
        </p>
        <p>{m.howToReturn}</p>
        <p class="hint">{m.keep(sent.keep_days)}</p>
      </div>
      <button type="button" class="primary" data-testid="mailbox-done" onClick={onDone}>
        {m.done}
      </button>
    </section>
  );
}
