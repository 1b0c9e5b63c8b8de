/** The waiting queue, live from the socket, with ticking waits and one-click claim. */

import { useEffect, useState } from "preact/hooks";
import type { ConsoleCatalog } from "../i18n/sv";
import type { QueueItem } from "../shared/protocol";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";

export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function QueuePanel({ model }: { model: ConsoleModel }) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const claim = async (id: string) => {
    setBusy(id);
    try {
      await model.claim(id);
    } catch {
      /* 401 is handled by the API; other failures leave the row as it was */
    } finally {
      setBusy(null);
    }
  };

  const elapsed = (now - model.queueAt) / 1000;
  const inQueue = new Set(model.queue.map((i) => i.conversation_id));
  const lostGone = [...model.claimLost.keys()].filter((id) => !inQueue.has(id));
  return (
    <section class="queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading">
        {t.queueHeading} <span class="count">({model.queue.length})</span>
      </h2>
      {lostGone.map((id) => (
        <p key={id} class="claim-lost" role="status" data-testid="claim-lost" data-conversation-id={id}>
          {t.claimLost}
        </p>
      ))}
      {model.queue.length === 0 && <p class="hint">{t.queueEmpty}</p>}
      <ol class="queue-list">
        {model.queue.map((item) => (
          <Row
            key={item.conversation_id}
            item={item}
            t={t}
            wait={item.wait_s + elapsed}
            lost={model.claimLost.has(item.conversation_id)}
            busy={busy === item.conversation_id}
            onClaim={() => void claim(item.conversation_id)}
          />
        ))}
      </ol>
    </section>
  );
}

interface RowProps {
  item: QueueItem;
  t: ConsoleCatalog;
  wait: number;
  lost: boolean;
  busy: boolean;
  onClaim: () => void;
}

function Row({ item, t, wait, lost, busy, onClaim }: RowProps) {
  const lang = item.language ? (t.languages[item.language] ?? item.language) : t.unknown;
  return (
    <li class={item.urgent ? "queue-item urgent" : "queue-item"} data-testid="queue-item" data-conversation-id={item.conversation_id}>
      <div class="queue-top">
        <span class="wait" title={t.waiting}>
          <span class="visually-hidden">{t.waiting} </span>
          <time data-testid="queue-wait">{formatWait(wait)}</time>
        </span>
        {item.urgent && (
          <span class="badge" data-testid="urgent">
            {t.urgent}
          </span>
        )}
        <button type="button" class="primary" data-testid="claim" disabled={busy || lost} onClick={onClaim}>
          {t.claim}
        </button>
      </div>
      <dl class="meta">
        <dt>{t.language}</dt>
        <dd>{lang}</dd>
        <dt>{t.ageBand}</dt>
        <dd>{item.age_band ? t.ages[item.age_band] : t.unknown}</dd>
        <dt>{t.topic}</dt>
        <dd>{item.topic ? t.topics[item.topic] : t.unknown}</dd>
        <dt>{t.link}</dt>
        <dd>{item.link_label ?? t.unknown}</dd>
      </dl>
      {lost && (
        <p class="claim-lost" role="status" data-testid="claim-lost" data-conversation-id={item.conversation_id}>
          {t.claimLost}
        </p>
      )}
    </li>
  );
}
