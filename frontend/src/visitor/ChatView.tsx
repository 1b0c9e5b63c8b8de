/** Waiting room and chat: messages with marks, counselor typing, composer, end. */

import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import { Composer } from "../shared/Composer";
import { Transcript } from "../shared/Transcript";
import { keepTranscript } from "./keptTranscript";
import { pinToVisibleHeight } from "./viewport";
import { formatDateTime, waitMinutes } from "../shared/i18n";
import type { ViewMessage } from "../shared/messages";
import type { Alternative } from "../shared/protocol";
import { VisitorChat } from "./chat";
import { useI18n } from "./i18n";
import { onLeave } from "./leave";
import { ResourceCard } from "./ResourceCard";
import type { EndReason, VisitorSession } from "./session";
import { Alternatives } from "./StatusView";

interface Props {
  session: VisitorSession;
  onEnded: (reason: EndReason) => void;
}

export function ChatView({ session, onEnded }: Props) {
  const { t } = useI18n();
  const [, bump] = useReducer((n: number, _: void) => n + 1, 0);
  const rerender = () => bump();
  const [draft, setDraft] = useState("");
  const [confirming, setConfirming] = useState(false);
  const endRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const chatRef = useRef<VisitorChat | null>(null);
  const endedRef = useRef(onEnded);
  endedRef.current = onEnded;
  const titleRef = useRef(t.pageTitle);
  titleRef.current = t.pageTitle;

  useEffect(() => {
    const chat = new VisitorChat(session, rerender, (r) => endedRef.current(r));
    chatRef.current = chat;
    const unLeave = onLeave(() => chat.client.close());
    chat.start();
    rerender();
    const onVisible = () => {
      if (document.visibilityState !== "visible") return;
      chat.markRead();
      document.title = titleRef.current;
    };
    document.addEventListener("visibilitychange", onVisible);
    const unpin = pinToVisibleHeight();
    // After "Starta chatten" the start button is gone: focus goes to the new heading, not to <body>.
    if (document.activeElement === document.body || document.activeElement === null)
      document.getElementById("heading")?.focus();
    return () => {
      unpin();
      document.title = titleRef.current;
      document.removeEventListener("visibilitychange", onVisible);
      unLeave();
      chat.dispose();
    };
  }, [session.token]);

  const chat = chatRef.current;
  const messages = chat ? chat.view() : [];
  const last = messages[messages.length - 1];
  keepTranscript(messages);

  // A reply while the tab is in the background: a discreet title cue (no chat words), cleared on return.
  useEffect(() => {
    if (document.visibilityState === "hidden" && last && last.author === "counselor") document.title = t.titleCue;
  }, [last?.key]);
  useEffect(() => {
    if (confirming) confirmRef.current?.querySelector<HTMLButtonElement>("[data-testid=end-cancel]")?.focus();
  }, [confirming]);

  useEffect(() => {
    if (document.visibilityState === "visible") chat?.markRead();
  });

  const waiting = !chat?.state || chat.state === "waiting";
  const alias = chat?.alias ?? null;
  return (
    <section class="chat" aria-labelledby="heading">
      <div class="chat-end">
        <button
          ref={endRef}
          type="button"
          class="end"
          data-testid="end-chat"
          aria-expanded={confirming}
          aria-controls="end-confirm"
          onClick={() => setConfirming(true)}
        >
          {t.endChat}
        </button>
        {confirming && (
          <div id="end-confirm" ref={confirmRef} class="end-confirm" role="group" aria-labelledby="end-question" data-testid="end-confirm-box">
            <p id="end-question">{t.endConfirmQuestion}</p>
            <button type="button" class="danger-fill" data-testid="end-confirm" onClick={() => chat?.end()}>
              {t.endConfirm}
            </button>
            <button
              type="button"
              data-testid="end-cancel"
              onClick={() => {
                setConfirming(false);
                endRef.current?.focus();
              }}
            >
              {t.endCancel}
            </button>
          </div>
        )}
      </div>
      {chat?.status === "reconnecting" && (
        <p class="notice" role="status" data-testid="reconnecting">
          {t.reconnecting}
        </p>
      )}
      {chat?.status === "connecting" && (
        <p class="notice quiet" role="status" data-testid="connecting">
          {t.connecting}
        </p>
      )}
      {waiting && chat?.serviceClosed && <ServiceClosing closed={chat.serviceClosed} />}
      <p class="visually-hidden" role="status" data-testid="chat-announcement">
        {waiting
          ? chat?.queue
            ? `${t.queuePosition} ${chat.queue.position}`
            : ""
          : `${t.chattingWith} ${alias ?? t.counselorFallback}`}
      </p>
      {waiting ? (
        <WaitingRoom queue={chat?.queue ?? null} />
      ) : (
        <h1 id="heading" class="with" tabIndex={-1}>
          {t.chattingWith} <strong data-testid="counselor-alias">{alias ?? t.counselorFallback}</strong>
        </h1>
      )}
      <Transcript
        class="messages-scroll"
        listClass="messages"
        label={t.messagesLabel}
        newMessagesLabel={t.newMessages}
        lastKey={last?.key}
        lastIsOwn={last?.own === true}
      >
        {messages.map((m) => (
          <MessageItem key={m.key} m={m} fallbackAlias={alias ?? t.counselorFallback} />
        ))}
      </Transcript>
      {chat?.peerTyping && (
        <p class="typing" data-testid="typing" aria-live="polite">
          {t.typing(alias ?? t.counselorFallback)}
        </p>
      )}
      <Composer
        id="visitor-composer"
        value={draft}
        labels={{ label: t.composerLabel, hint: t.composerHint, send: t.send, charsLeft: t.charsLeft }}
        onInput={(v) => {
          setDraft(v);
          chat?.composing(v);
        }}
        onBlur={() => chat?.setTyping(false)}
        onSend={(body) => {
          chat?.send(body);
          setDraft("");
        }}
      />
    </section>
  );
}

function WaitingRoom({ queue }: { queue: { position: number; estimated_wait_s: number | null } | null }) {
  const { t } = useI18n();
  return (
    <div class="waiting">
      <h1 id="heading" tabIndex={-1}>
        {t.waitingHeading}
      </h1>
      {queue && (
        <p>
          {t.queuePosition} <strong data-testid="queue-position">{queue.position}</strong>
        </p>
      )}
      {queue && (
        <p data-testid="estimated-wait">
          {queue.estimated_wait_s ? t.estimatedWait(waitMinutes(queue.estimated_wait_s)) : t.waitUnknown}
        </p>
      )}
      <p class="hint">{t.waitingWrite}</p>
    </div>
  );
}

/** The schedule closed the service while this person waits: say so, when it opens, and who else to call. */
function ServiceClosing({ closed }: { closed: { next_opening: string | null; alternatives: Alternative[] } }) {
  const { t, lang } = useI18n();
  return (
    <div class="service-closed" role="alert" data-testid="service-closed">
      <p class="service-closed-title">{t.serviceClosing}</p>
      <p>{t.serviceClosingNote}</p>
      {closed.next_opening ? (
        <p>
          {t.nextOpening}{" "}
          <strong data-testid="next-opening">
            <time dateTime={closed.next_opening}>{formatDateTime(closed.next_opening, lang)}</time>
          </strong>
        </p>
      ) : (
        <p>{t.nextUnknown}</p>
      )}
      <Alternatives items={closed.alternatives} />
    </div>
  );
}

function MessageItem({ m, fallbackAlias }: { m: ViewMessage; fallbackAlias: string }) {
  const { t } = useI18n();
  if (m.author === "system")
    return (
      <li class="msg msg-system" data-testid="message" data-seq={m.seq ?? undefined} data-author="system">
        <span class="visually-hidden">{t.system}: </span>
        <span class="msg-body">{m.body}</span>
      </li>
    );
  const who = m.author === "visitor" ? t.you : (m.alias ?? fallbackAlias);
  return (
    <li
      class={`msg msg-${m.author}`}
      data-testid="message"
      data-seq={m.seq ?? undefined}
      data-author={m.author}
      data-mark={m.mark ?? undefined}
    >
      <span class="msg-who">{who}</span>
      {m.card ? (
        <div class="msg-body msg-card">
          <ResourceCard card={m.card} />
        </div>
      ) : (
        <span class="msg-body">{m.body}</span>
      )}
      {m.mark && <span class={`msg-mark mark-${m.mark}`}>{t.marks[m.mark]}</span>}
    </li>
  );
}
