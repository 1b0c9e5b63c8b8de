/** Conversation tabs (unread counts, monitored ones marked) and the focused conversation's pane. */

import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";
import { Pane, shortRef } from "./Pane";

export function Conversations({ model }: { model: ConsoleModel }) {
  const { t } = useI18n();
  const tabs = model.tabs();
  const focused = model.focused ? model.convs.get(model.focused) : undefined;
  return (
    <section class="conversations" aria-labelledby="conv-heading">
      <h2 id="conv-heading" class="visually-hidden">
        {t.conversationsHeading}
      </h2>
      {[...model.moved].map(([id, alias]) => (
        <p key={id} class="moved" role="status" data-testid="moved-notice" data-conversation-id={id}>
          {alias ? t.movedTo(t.tabLabel(shortRef(id)), alias) : t.movedToQueue(t.tabLabel(shortRef(id)))}
        </p>
      ))}
      {tabs.length === 0 && <p class="hint">{t.noConversations}</p>}
      <nav class="tabs" aria-label={t.conversationsHeading}>
        {tabs.map((e) => {
          const id = e.conv.conversation_id;
          const unread = model.unread(id);
          const isFocused = id === model.focused;
          const offered = !e.monitoring && e.conv.state === "active" && !!e.conv.accept_by;
          return (
            <button
              key={id}
              type="button"
              class={`tab state-${e.conv.state}${isFocused ? " current" : ""}${e.monitoring ? " monitor" : ""}`}
              data-testid="conv-tab"
              data-conversation-id={id}
              data-monitoring={e.monitoring ? "true" : undefined}
              aria-current={isFocused ? "true" : undefined}
              onClick={() => model.focus(id)}
            >
              <span>{t.tabLabel(shortRef(id))}</span>
              {e.monitoring && <span class="tab-state"> · {t.monitoringBadge}</span>}
              {offered && <span class="tab-state"> · {t.offeredShort}</span>}
              {e.conv.state !== "active" && <span class="tab-state"> · {t.states[e.conv.state]}</span>}
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
        })}
      </nav>
      {focused && <Pane key={focused.conv.conversation_id} model={model} entry={focused} />}
    </section>
  );
}
