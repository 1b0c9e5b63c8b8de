/** The waiting queue, live from the socket, with ticking waits, one-click claim and (for supervisors) the
 * urgent flag. */

import { useEffect, useRef, useState } from "preact/hooks";
import type { ConsoleCatalog } from "../i18n/console.sv";
import type { QueueItem } from "../shared/protocol";
import { flagUrgent } from "./actions";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";
import { shortId } from "./shortId";
import { formatWait } from "./time";
import { isSupervisor } from "./types";

export function QueuePanel({ model }: { model: ConsoleModel }) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState<string | null>(null);
  const [flagError, setFlagError] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const claim = async (id: string) => {
    setBusy(id);
    try {
      await model.claim(id);
      // Focus follows the claim to the chat's message box (not back to <body> when the row goes).
      requestAnimationFrame(() => document.getElementById(`composer-${id}`)?.focus());
    } catch {
      /* 401 is handled by the API; other failures leave the row as it was */
    } finally {
      setBusy(null);
    }
  };

  const flag = async (id: string, urgent: boolean) => {
    setFlagError(null);
    try {
      await flagUrgent(model, id, urgent);
    } catch (err) {
      setFlagError({ id, text: errorText(err, t.errorCodes, t.requestFailed) });
    }
  };

  // New arrivals are announced politely (the list itself is not a live region: its waits tick).
  const known = useRef<Set<string> | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const ids = model.queue.map((i) => i.conversation_id).join(",");
  useEffect(() => {
    const current = new Set(model.queue.map((i) => i.conversation_id));
    const before = known.current;
    known.current = current;
    if (!before) return;
    const arrived = [...current].filter((id) => !before.has(id));
    if (arrived.length) setAnnouncement(arrived.map((id) => t.newInQueue(t.tabLabel(shortId(id)))).join(". "));
  }, [ids]);

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
      <p class="visually-hidden" role="status" data-testid="queue-announcement">
        {announcement}
      </p>
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
            error={flagError?.id === item.conversation_id ? flagError.text : null}
            onClaim={() => void claim(item.conversation_id)}
            onFlag={isSupervisor(model.me.role) ? () => void flag(item.conversation_id, !item.urgent) : null}
          />
        ))}
      </ol>
    </section>
  );
}

/** A queue item with what the visitor wrote first (the server adds it; absent from older servers). */
type TriageItem = QueueItem & { preview?: string | null };

interface RowProps {
  item: TriageItem;
  t: ConsoleCatalog;
  wait: number;
  lost: boolean;
  busy: boolean;
  error: string | null;
  onClaim: () => void;
  onFlag: (() => void) | null; // null: this user may not flag (urgent is for supervisors)
}

function Row({ item, t, wait, lost, busy, error, onClaim, onFlag }: RowProps) {
  const lang = item.language ? (t.languages[item.language] ?? item.language) : t.unknown;
  const young = item.age_band === "under_15";
  const ref = shortId(item.conversation_id);
  const classes = ["queue-item", item.urgent ? "urgent" : "", young ? "young" : ""].filter(Boolean).join(" ");
  return (
    <li class={classes} data-testid="queue-item" data-conversation-id={item.conversation_id}>
      <div class="queue-top">
        <span class="ref" data-testid="queue-ref">
          {t.tabLabel(ref)}
        </span>
        <span class="wait" title={t.waiting}>
          <span class="visually-hidden">{t.waiting} </span>
          <time data-testid="queue-wait">{formatWait(wait)}</time>
        </span>
        {item.urgent && (
          <span class="badge" data-testid="urgent">
            {t.urgent}
          </span>
        )}
        {young && (
          <span class="badge badge-young" data-testid="under-15">
            {t.under15}
          </span>
        )}
        {item.returning && (
          <span class="badge badge-returning" data-testid="returning">
            {t.returning}
          </span>
        )}
        <button
          type="button"
          class="primary"
          data-testid="claim"
          aria-label={t.claimFor(ref)}
          disabled={busy || lost}
          onClick={onClaim}
        >
          {t.claim}
        </button>
      </div>
      {item.preview && (
        <p class="preview" data-testid="queue-preview">
          <span class="visually-hidden">{t.wrote} </span>
          {item.preview}
        </p>
      )}
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
      {onFlag && (
        <button type="button" class="small flag" data-testid="flag-urgent" aria-pressed={item.urgent} onClick={onFlag}>
          {item.urgent ? t.unflagUrgent : t.flagUrgent}
        </button>
      )}
      <ErrorNote error={error} />
      {lost && (
        <p class="claim-lost" role="status" data-testid="claim-lost" data-conversation-id={item.conversation_id}>
          {t.claimLost}
        </p>
      )}
    </li>
  );
}
