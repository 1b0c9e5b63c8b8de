/** Before a chat: open (who answers, the promise and its limits, queue, start) or closed (alternatives). */

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { formatDateTime, waitMinutes } from "../shared/i18n";
import type { AgeBand, Alternative, Topic } from "../shared/protocol";
import { useI18n } from "./i18n";
import { OptionalChoices } from "./OptionalChoices";
import { ErrorNote } from "../shared/ErrorNote";
import type { VisitorStatus } from "../shared/api";

/** The status as the page shows it: the server's answer, or (a start refused as closed before any answer) its core. */
export type ShownStatus = Pick<VisitorStatus, "open" | "queue_length" | "estimated_wait_s" | "next_opening" | "languages"> & Partial<VisitorStatus>;

interface OpenProps {
  status: ShownStatus;
  starting: boolean;
  error: string | null;
  onStart: (choice: { age_band?: AgeBand; topic?: Topic }) => void;
}

export function OpenView({ status, starting, error, onStart }: OpenProps) {
  const { t } = useI18n();
  const [age, setAge] = useState("");
  const [topic, setTopic] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    const choice: { age_band?: AgeBand; topic?: Topic } = {};
    if (age) choice.age_band = age as AgeBand;
    if (topic) choice.topic = topic as Topic;
    onStart(choice);
  };
  return (
    <section aria-labelledby="heading">
      <h1 id="heading">{t.heading}</h1>
      <p class="status status-open" data-testid="status-open">
        <span class="dot" aria-hidden="true" /> {t.statusOpen}
      </p>
      <p class="queue-now">
        {status.queue_length > 0 ? t.queueLength(status.queue_length) : t.queueEmpty}
        {status.queue_length > 0 && status.estimated_wait_s ? ` ${t.estimatedWait(waitMinutes(status.estimated_wait_s))}` : ""}
      </p>
      <form class="start" onSubmit={submit}>
        {/* The note is said in the legend's "(frivilligt)" for the eye; in full for a screen reader, without the height. */}
        <OptionalChoices ids={{ age: "age-band", topic: "topic" }} age={age} topic={topic} onAge={setAge} onTopic={setTopic} />
        <ErrorNote error={error} />
        <button type="submit" class="primary" data-testid="start-chat" disabled={starting} aria-busy={starting}>
          {starting ? t.starting : t.startChat}
        </button>
      </form>
      <details class="how" data-testid="how-it-works">
        <summary>{t.howItWorks}</summary>
        <p>{t.intro}</p>
        <PromiseList />
      </details>
    </section>
  );
}

/** Who answers, the anonymity promise with its limits, and what happens with what is written. */
function PromiseList() {
  const { t } = useI18n();
  return (
    <ul class="promise">
      <li>{t.whoAnswers}</li>
      <li>{t.anonymity}</li>
      <li>{t.limits}</li>
      <li>{t.retention}</li>
    </ul>
  );
}

/** Closed: when it opens, then `children` (the mailbox's offer and the code box), then whom to call. */
export function ClosedView({ status, children }: { status: ShownStatus; children?: ComponentChildren }) {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="heading">
      <h1 id="heading">{t.heading}</h1>
      <p class="status status-closed" data-testid="status-closed">
        <span class="dot" aria-hidden="true" /> {t.statusClosed}
      </p>
      {status.next_opening ? (
        <p>
          {t.nextOpening}{" "}
          <strong data-testid="next-opening">
            <time dateTime={status.next_opening}>{formatDateTime(status.next_opening, lang)}</time>
          </strong>
        </p>
      ) : (
        <p>{t.nextUnknown}</p>
      )}
      {children}
      <Alternatives items={status.alternatives ?? []} />
      <p>{t.intro}</p>
    </section>
  );
}

export function Alternatives({ items }: { items: Alternative[] }) {
  const { t, lang } = useI18n();
  return (
    <section class="alternatives" aria-labelledby="alt-heading">
      <h2 id="alt-heading">{t.alternativesHeading}</h2>
      {items.length === 0 ? (
        <p>{t.emergencyFallback}</p>
      ) : (
        <ul>
          {items.map((a) => {
            const name = a.name[lang] ?? a.name.sv ?? Object.values(a.name)[0] ?? "";
            return (
              <li key={a.phone}>
                <a class="tel" href={`tel:${a.phone.replace(/[^0-9+]/g, "")}`} data-testid="alternative">
                  <span class="alt-name">{name}</span> <span class="alt-phone">{t.call(a.phone)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
