/** Supervisor's overview: waiting chats, active chats with their counselor and timings, staff on duty. */

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { formatTime } from "../shared/i18n";
import type { QueueItem } from "../shared/protocol";
import { flagUrgent, takeOver } from "./actions";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";
import { shortId } from "./shortId";
import type { SupervisionFeed } from "./supervision";
import { formatWait, secondsSince } from "./time";
import type { ActiveChat } from "./types";

interface Props {
  model: ConsoleModel;
  feed: SupervisionFeed;
  /** After Monitor or Take over: show the chats view with that tab. */
  onOpenChat: () => void;
}

export function SupervisionView({ model, feed, onOpenChat }: Props) {
  const { t, lang } = useI18n();
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const run = (id: string, action: () => Promise<void>, open: boolean) => {
    setError(null);
    action().then(
      () => {
        void feed.fetch();
        if (open) onOpenChat();
      },
      (err) => setError({ id, text: errorText(err, t.errorCodes, t.requestFailed) }),
    );
  };
  const monitor = (id: string) => {
    model.monitor(id);
    onOpenChat();
  };

  const data = feed.data;
  const drift = (now - feed.at) / 1000;
  const errorFor = (id: string) =>
    error?.id === id ? <ErrorNote error={error.text} testid="sup-error" /> : null;

  return (
    <section class="supervision" aria-labelledby="sup-heading">
      <div class="sup-head">
        <h2 id="sup-heading">{t.supHeading}</h2>
        {feed.at > 0 && <span class="hint">{t.supUpdated(formatTime(new Date(feed.at).toISOString(), lang))}</span>}
        <button type="button" class="small" data-testid="sup-refresh" onClick={() => void feed.fetch()}>
          {t.refresh}
        </button>
      </div>
      <ErrorNote error={feed.failed && t.supFailed} testid="sup-failed" />
      {!data && !feed.failed && <p role="status">{t.loading}</p>}
      {data && (
        <div class="sup-grid">
          <section aria-labelledby="sup-waiting">
            <h3 id="sup-waiting">
              {t.supWaiting} <span class="count">({data.waiting.length})</span>
            </h3>
            {data.waiting.length === 0 && <p class="hint">{t.supNoneWaiting}</p>}
            <ul class="sup-list">
              {data.waiting.map((item) => (
                <WaitingRow
                  key={item.conversation_id}
                  item={item}
                  wait={item.wait_s + drift}
                  monitored={model.monitored.has(item.conversation_id)}
                  onMonitor={() => monitor(item.conversation_id)}
                  onTakeOver={() => run(item.conversation_id, () => takeOver(model, item.conversation_id), true)}
                  onFlag={() => run(item.conversation_id, () => flagUrgent(model, item.conversation_id, !item.urgent), false)}
                  error={errorFor(item.conversation_id)}
                />
              ))}
            </ul>
          </section>
          <section aria-labelledby="sup-active">
            <h3 id="sup-active">
              {t.supActive} <span class="count">({data.active.length})</span>
            </h3>
            {data.active.length === 0 && <p class="hint">{t.supNoneActive}</p>}
            <ul class="sup-list">
              {data.active.map((chat) => (
                <ActiveRow
                  key={chat.conversation_id}
                  chat={chat}
                  now={now}
                  mine={chat.counselor_id === model.me.id}
                  monitored={model.monitored.has(chat.conversation_id)}
                  onMonitor={() => monitor(chat.conversation_id)}
                  onTakeOver={() => run(chat.conversation_id, () => takeOver(model, chat.conversation_id), true)}
                  error={errorFor(chat.conversation_id)}
                />
              ))}
            </ul>
          </section>
          <section aria-labelledby="sup-staff">
            <h3 id="sup-staff">
              {t.supCounselors} <span class="count">({data.counselors.length})</span>
            </h3>
            {data.counselors.length === 0 && <p class="hint">{t.supNoneCounselors}</p>}
            <table class="sup-table">
              <thead>
                <tr>
                  <th scope="col">{t.colCounselor}</th>
                  <th scope="col">{t.colPresence}</th>
                  <th scope="col">{t.colLoad}</th>
                </tr>
              </thead>
              <tbody>
                {data.counselors.map((c) => (
                  <tr key={c.id} data-testid="sup-counselor" data-counselor-id={c.id}>
                    <th scope="row">
                      {c.alias}
                      <span class="hint"> · {c.display_name} · {t.roles[c.role]}</span>
                    </th>
                    <td>
                      <span class={`presence presence-${c.presence}`} data-testid="sup-presence">
                        {t.presences[c.presence]}
                      </span>
                    </td>
                    <td data-testid="sup-load">{t.load(c.active, c.capacity)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </section>
  );
}

interface WaitingRowProps {
  item: QueueItem;
  wait: number;
  monitored: boolean;
  onMonitor: () => void;
  onTakeOver: () => void;
  onFlag: () => void;
  error: ComponentChildren;
}

function WaitingRow({ item, wait, monitored, onMonitor, onTakeOver, onFlag, error }: WaitingRowProps) {
  const { t } = useI18n();
  return (
    <li class={item.urgent ? "sup-item urgent" : "sup-item"} data-testid="sup-waiting" data-conversation-id={item.conversation_id}>
      <div class="sup-line">
        <strong>{t.tabLabel(shortId(item.conversation_id))}</strong>
        <span>
          {t.colWaited} <time data-testid="sup-wait">{formatWait(wait)}</time>
        </span>
        {item.urgent && <span class="badge">{t.urgent}</span>}
        {item.returning && <span class="badge badge-returning">{t.returning}</span>}
      </div>
      <p class="hint">
        {[
          item.language ? (t.languages[item.language] ?? item.language) : null,
          item.age_band ? t.ages[item.age_band] : null,
          item.topic ? t.topics[item.topic] : null,
          item.link_label,
        ]
          .filter(Boolean)
          .join(" · ")}
      </p>
      <div class="row-actions">
        <button type="button" class="small" data-testid="monitor" aria-pressed={monitored} onClick={onMonitor}>
          {t.monitor}
        </button>
        <button type="button" class="small" data-testid="take-over" onClick={onTakeOver}>
          {t.takeOver}
        </button>
        <button type="button" class="small flag" data-testid="flag-urgent" aria-pressed={item.urgent} onClick={onFlag}>
          {item.urgent ? t.unflagUrgent : t.flagUrgent}
        </button>
      </div>
      {error}
    </li>
  );
}

interface ActiveRowProps {
  chat: ActiveChat;
  now: number;
  mine: boolean;
  monitored: boolean;
  onMonitor: () => void;
  onTakeOver: () => void;
  error: ComponentChildren;
}

function ActiveRow({ chat, now, mine, monitored, onMonitor, onTakeOver, error }: ActiveRowProps) {
  const { t } = useI18n();
  const since = secondsSince(chat.claimed_at, now);
  const quiet = secondsSince(chat.last_activity_at, now);
  return (
    <li class="sup-item" data-testid="sup-active" data-conversation-id={chat.conversation_id}>
      <div class="sup-line">
        <strong>{t.tabLabel(shortId(chat.conversation_id))}</strong>
        <span data-testid="sup-counselor-alias">{chat.counselor_alias ?? t.unknown}</span>
        {chat.accept_by && <span class="badge badge-returning">{t.awaitingAccept}</span>}
      </div>
      <dl class="meta">
        <dt>{t.colStarted}</dt>
        <dd>{since === null ? t.unknown : formatWait(since)}</dd>
        <dt>{t.colLastActivity}</dt>
        <dd>{quiet === null ? t.unknown : t.ago(formatWait(quiet))}</dd>
      </dl>
      {!mine && (
        <div class="row-actions">
          <button type="button" class="small" data-testid="monitor" aria-pressed={monitored} onClick={onMonitor}>
            {t.monitor}
          </button>
          <button type="button" class="small" data-testid="take-over" onClick={onTakeOver}>
            {t.takeOver}
          </button>
        </div>
      )}
      {error}
    </li>
  );
}
