/** Conversation tabs (unread counts) and the focused conversation: transcript, typing, composer. */

import { useEffect, useRef } from "preact/hooks";
import { Composer } from "../shared/Composer";
import { formatTime } from "../shared/i18n";
import type { ViewMessage } from "../shared/messages";
import { useI18n } from "./i18n";
import type { ConsoleModel, ConvEntry } from "./model";

const shortRef = (id: string) => id.replace(/-/g, "").slice(-4);

export function Conversations({ model }: { model: ConsoleModel }) {
  const { t } = useI18n();
  const tabs = model.tabs();
  const focused = model.focused ? model.convs.get(model.focused) : undefined;
  return (
    <section class="conversations" aria-labelledby="conv-heading">
      <h2 id="conv-heading" class="visually-hidden">
        {t.conversationsHeading}
      </h2>
      {tabs.length === 0 && <p class="hint">{t.noConversations}</p>}
      <nav class="tabs" aria-label={t.conversationsHeading}>
        {tabs.map((e) => {
          const id = e.conv.conversation_id;
          const unread = model.unread(id);
          const isFocused = id === model.focused;
          return (
            <button
              key={id}
              type="button"
              class={`tab state-${e.conv.state}${isFocused ? " current" : ""}`}
              data-testid="conv-tab"
              data-conversation-id={id}
              aria-current={isFocused ? "true" : undefined}
              onClick={() => model.focus(id)}
            >
              <span>{t.tabLabel(shortRef(id))}</span>
              {e.conv.state !== "active" && <span class="tab-state"> · {t.states[e.conv.state]}</span>}
              <span
                class={unread ? "unread" : "unread zero"}
                data-testid="unread"
                aria-label={t.unreadAria(unread)}
              >
                {unread}
              </span>
            </button>
          );
        })}
      </nav>
      {focused && <Pane key={focused.conv.conversation_id} model={model} entry={focused} />}
    </section>
  );
}

function Pane({ model, entry }: { model: ConsoleModel; entry: ConvEntry }) {
  const { t } = useI18n();
  const conv = entry.conv;
  const id = conv.conversation_id;
  const messages = model.view(id);
  const active = conv.state === "active";
  const endRef = useRef<HTMLDivElement>(null);
  const lastKey = messages[messages.length - 1]?.key;
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: "nearest" });
  }, [lastKey]);

  let banner: string | null = null;
  if (conv.state === "abandoned") banner = t.visitorLeft;
  else if (conv.state === "closed") banner = entry.closedByMe ? t.youClosed : t.visitorEnded;

  return (
    <article class="pane" aria-label={t.tabLabel(shortRef(id))}>
      <div class="pane-head">
        <span class={`state state-${conv.state}`} data-testid="conv-state" data-state={conv.state}>
          {t.states[conv.state]}
        </span>
        <span class="hint">
          {[
            conv.language ? (t.languages[conv.language] ?? conv.language) : null,
            conv.age_band ? t.ages[conv.age_band] : null,
            conv.topic ? t.topics[conv.topic] : null,
            conv.link_label,
          ]
            .filter(Boolean)
            .join(" · ")}
        </span>
        <span class="pane-actions">
          {active && (
            <button type="button" data-testid="release" onClick={() => void model.release(id).catch(() => undefined)}>
              {t.release}
            </button>
          )}
          {active && (
            <button type="button" class="danger" data-testid="close" onClick={() => void model.close(id).catch(() => undefined)}>
              {t.close}
            </button>
          )}
          {!active && (
            <button type="button" data-testid="dismiss" onClick={() => model.remove(id)}>
              {t.dismiss}
            </button>
          )}
        </span>
      </div>
      {banner && (
        <p class="banner" role="status" data-testid="visitor-state">
          {banner}
        </p>
      )}
      {entry.error && (
        <p class="error" role="alert">
          {t.requestFailed}
        </p>
      )}
      <ol class="transcript" role="log" aria-live="polite" aria-relevant="additions" aria-label={t.messagesLabel}>
        {messages.map((m) => (
          <Line key={m.key} m={m} />
        ))}
      </ol>
      <div ref={endRef} />
      {entry.peerTyping && (
        <p class="typing" data-testid="typing">
          {t.typing}
        </p>
      )}
      <Composer
        id={`composer-${id}`}
        value={entry.draft}
        disabled={!active}
        labels={{ label: t.composerLabel, hint: t.composerHint, send: t.send, charsLeft: t.charsLeft }}
        onInput={(v) => {
          model.composing(id, v);
          model.focus(id);
        }}
        onBlur={() => model.setTyping(id, false)}
        onSend={(body) => {
          model.send(id, body);
          model.composing(id, "");
          model.focus(id);
        }}
      />
    </article>
  );
}

function Line({ m }: { m: ViewMessage }) {
  const { t, lang } = useI18n();
  const who = m.author === "visitor" ? t.visitor : m.author === "system" ? t.system : (m.alias ?? t.you);
  return (
    <li
      class={`msg msg-${m.author}`}
      data-testid="message"
      data-seq={m.seq ?? undefined}
      data-author={m.author}
      data-mark={m.mark ?? undefined}
    >
      <span class="msg-who">
        {who}
        {m.at && <time dateTime={m.at}> {formatTime(m.at, lang)}</time>}
      </span>
      <span class="msg-body">{m.body}</span>
      {m.mark && <span class={`msg-mark mark-${m.mark}`}>{t.marks[m.mark]}</span>}
    </li>
  );
}
