/** After the chat: the follow-up code, how to use it, and a way to start over. */

import { useI18n } from "./i18n";
import type { EndReason } from "./session";

interface Props {
  reason: EndReason;
  followUpCode: string | null;
  onStartOver: () => void;
}

export function EndedView({ reason, followUpCode, onStartOver }: Props) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="heading">
      <h1 id="heading">{t.endedHeading}</h1>
      {reason === "abandoned" && <p>{t.abandoned}</p>}
      {reason === "expired" && <p>{t.expired}</p>}
      {followUpCode && reason !== "expired" && (
        <div class="follow-up">
          <p class="follow-up-label">{t.followUpLabel}</p>
          <p class="code" data-testid="follow-up-code">
            {followUpCode}
          </p>
          <p>{t.followUpHelp}</p>
          <p class="hint">{t.followUpSafety}</p>
        </div>
      )}
      <button type="button" class="primary" data-testid="start-over" onClick={onStartOver}>
        {t.startOver}
      </button>
    </section>
  );
}
