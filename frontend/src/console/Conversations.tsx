/** Conversation tabs (triage: age band, topic, how long the visitor has waited for an answer, unread
 * counts, under-15 marked), offers that cannot be missed, and the focused conversation's pane. */

import { useEffect, useState } from "preact/hooks";
import type { ViewMessage } from "../shared/messages";
import { acceptChat } from "./actions";
import "./daily.css";
import { ErrorNote } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel, ConvEntry } from "./model";
import { Pane } from "./Pane";
import { shortId } from "./shortId";
import { formatWait, secondsSince, secondsUntil } from "./time";

/** Since when the visitor has waited for an answer: their first line after the last counselor line. */
export function awaitingSince(messages: readonly ViewMessage[]): string | null {
  let since: string | null = null; // the oldest of the visitor's lines since the last answer
  for (const m of messages) {
    if (m.author === "counselor") since = null;
    else if (m.author === "visitor" && since === null) since = m.at;
  }
  return since;
}

/** The time now, re-rendering every second (read at render: never older than the data it is compared with). */
function useNow(): number {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return Date.now();
}

export function Conversations({ model }: { model: ConsoleModel }) {
  const { t } = useI18n();
  const now = useNow();
  const tabs = model.tabs();
  const focused = model.focused ? model.convs.get(model.focused) : undefined;
  const offers = tabs.filter((e) => !e.monitoring && e.conv.state === "active" && !!e.conv.accept_by && e.conv.counselor_id === model.me.id);
  return (
    <section class="conversations" aria-labelledby="conv-heading">
      <h2 id="conv-heading" class="visually-hidden">
        {t.conversationsHeading}
      </h2>
      {offers.length > 0 && <OfferBanner model={model} offers={offers} now={now} />}
      {[...model.moved].map(([id, alias]) => (
        <p key={id} class="moved" role="status" data-testid="moved-notice" data-conversation-id={id}>
          {alias ? t.movedTo(t.tabLabel(shortId(id)), alias) : t.movedToQueue(t.tabLabel(shortId(id)))}
        </p>
      ))}
      {tabs.length === 0 && <p class="hint">{t.noConversations}</p>}
      <nav class="tabs" aria-label={t.conversationsHeading}>
        {tabs.map((e) => (
          <Tab key={e.conv.conversation_id} model={model} entry={e} now={now} />
        ))}
      </nav>
      {focused && <Pane key={focused.conv.conversation_id} model={model} entry={focused} />}
    </section>
  );
}

function Tab({ model, entry: e, now }: { model: ConsoleModel; entry: ConvEntry; now: number }) {
  const { t } = useI18n();
  const id = e.conv.conversation_id;
  const unread = model.unread(id);
  const isFocused = id === model.focused;
  const offered = !e.monitoring && e.conv.state === "active" && !!e.conv.accept_by;
  const young = e.conv.age_band === "under_15";
  const since = e.conv.state === "active" && !e.monitoring ? awaitingSince(model.view(id)) : null;
  const waited = secondsSince(since, now);
  const details = [e.conv.age_band ? t.ages[e.conv.age_band] : null, e.conv.topic ? t.topics[e.conv.topic] : null]
    .filter(Boolean)
    .join(" · ");
  const classes = ["tab", `state-${e.conv.state}`, isFocused ? "current" : "", e.monitoring ? "monitor" : "", young ? "young" : ""];
  return (
    <button
      type="button"
      class={classes.filter(Boolean).join(" ")}
      data-testid="conv-tab"
      data-conversation-id={id}
      data-monitoring={e.monitoring ? "true" : undefined}
      aria-current={isFocused ? "true" : undefined}
      onClick={() => model.focus(id)}
    >
      <span class="tab-main">
        <span class="tab-ref">{t.tabLabel(shortId(id))}</span>
        {details && <span class="tab-details"> · {details}</span>}
        {young && (
          <span class="badge badge-young" data-testid="tab-under-15">
            {" "}
            {t.under15}
          </span>
        )}
        {e.monitoring && <span class="tab-state"> · {t.monitoringBadge}</span>}
        {offered && <span class="tab-state"> · {t.offeredShort}</span>}
        {e.conv.state !== "active" && <span class="tab-state"> · {t.states[e.conv.state]}</span>}
      </span>
      {waited !== null && (
        <span class="tab-awaiting" data-testid="tab-awaiting" data-seconds={waited}>
          {t.awaitingAnswer} <time>{formatWait(waited)}</time>
        </span>
      )}
      {e.newNotes > 0 && (
        <span class="note-dot" data-testid="tab-notes" aria-label={t.notesNew(e.newNotes)}>
          ✎
        </span>
      )}
      <span class={unread ? "unread" : "unread zero"} data-testid="unread" aria-label={t.unreadAria(unread)}>
        {unread}
      </span>
    </button>
  );
}

/** Chats offered to this counselor (a transfer or auto-assign): above every tab, with accept and the time left. */
function OfferBanner({ model, offers, now }: { model: ConsoleModel; offers: ConvEntry[]; now: number }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  return (
    <section class="offer-banner" aria-labelledby="offers-heading" data-testid="offer-banner">
      <h3 id="offers-heading" class="visually-hidden">
        {t.offersHeading}
      </h3>
      {offers.map((e) => {
        const id = e.conv.conversation_id;
        const left = secondsUntil(e.conv.accept_by, now) ?? 0;
        const ref = t.tabLabel(shortId(id));
        return (
          <div key={id} class="offer" role="status" data-testid="accept-offer" data-conversation-id={id}>
            <p>
              <strong>{ref}: </strong>
              <strong>{e.conv.transfer_from_id != null ? t.offeredTransfer : t.offeredAssign}</strong>{" "}
              {left > 0 ? (
                <span>
                  {t.acceptWithin}{" "}
                  <time class="countdown" data-testid="accept-countdown" data-seconds={left}>
                    {formatWait(left)}
                  </time>
                </span>
              ) : (
                <span data-testid="accept-expired">{t.acceptExpired}</span>
              )}
            </p>
            <span class="offer-actions">
              <button
                type="button"
                class="primary"
                data-testid="accept"
                aria-label={`${t.accept} ${ref}`}
                onClick={() => {
                  setError(null);
                  acceptChat(model, id).catch((err) => setError(err));
                }}
              >
                {t.accept}
              </button>
              {id !== model.focused && (
                <button type="button" data-testid="show-offer" aria-label={`${t.showChat} ${ref}`} onClick={() => model.focus(id)}>
                  {t.showChat}
                </button>
              )}
            </span>
          </div>
        );
      })}
      <ErrorNote error={error} known={t.errorCodes} fallback={t.requestFailed} />
    </section>
  );
}
