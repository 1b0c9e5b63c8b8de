/** After the chat: what was written (kept in memory only), the follow-up code grouped as in the hint
 * with a copy button and a plain warning, whom to call, and a way to start over. */

import { useEffect, useState } from "preact/hooks";
import { getVisitorStatus } from "../shared/api";
import type { Alternative } from "../shared/protocol";
import { useI18n } from "./i18n";
import { keptTranscript } from "./keptTranscript";
import { linkCode, type EndReason } from "./session";
import { Alternatives } from "./StatusView";

interface Props {
  reason: EndReason;
  followUpCode: string | null;
  onStartOver: () => void;
}

/** ABCDEFGHJKMN → ABCD-EFGH-JKMN (the form the code box's hint shows; either form is accepted). */
export function groupCode(code: string): string {
  const plain = code.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  return (plain.match(/.{1,4}/g) ?? []).join("-");
}

export function EndedView({ reason, followUpCode, onStartOver }: Props) {
  const { t } = useI18n();
  const [alternatives, setAlternatives] = useState<Alternative[] | null>(null);
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  const messages = keptTranscript();
  useEffect(() => {
    document.getElementById("heading")?.focus();
    getVisitorStatus(linkCode(location.pathname)).then(
      (s) => setAlternatives(s.alternatives ?? []),
      () => setAlternatives([]),
    );
  }, []);
  const grouped = followUpCode ? groupCode(followUpCode) : null;
  const copy = () => {
    if (!grouped) return;
    navigator.clipboard.writeText(grouped).then(
      () => setCopied("ok"),
      () => setCopied("failed"),
    );
  };
  return (
    <section class="ended" aria-labelledby="heading">
      <h1 id="heading" tabIndex={-1}>
        {t.endedHeading}
      </h1>
      {reason === "abandoned" && <p>{t.abandoned}</p>}
      {reason === "expired" && <p>{t.expired}</p>}
      {grouped && reason !== "expired" && (
        <div class="follow-up">
          <p class="follow-up-label" id="code-label">
            {t.followUpLabel}
          </p>
          <p class="code" data-testid="follow-up-code" aria-labelledby="code-label">
            {grouped}
          </p>
          <button type="button" data-testid="copy-code" onClick={copy}>
            {t.copyCode}
          </button>
          <p role="status" data-testid="copy-status">
            {copied === "ok" ? t.codeCopied : copied === "failed" ? t.copyFailed : ""}
          </p>
          <p>{t.followUpHelp}</p>
          <p class="code-warning" data-testid="code-warning">
            {t.codeWarning}
          </p>
        </div>
      )}
      {alternatives && <Alternatives items={alternatives} />}
      <button type="button" class="primary" data-testid="start-over" onClick={onStartOver}>
        {t.startOver}
      </button>
      {messages.length > 0 && (
        <section class="ended-transcript" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">{t.transcriptHeading}</h2>
          <ol class="messages" data-testid="ended-transcript">
            {messages.map((m) => (
              <li key={m.key} class={`msg msg-${m.author}`} data-testid="ended-message" data-author={m.author}>
                <span class="msg-who">{m.author === "visitor" ? t.you : m.author === "system" ? t.system : (m.alias ?? t.counselorFallback)}</span>
                <span class="msg-body">{m.body}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}
