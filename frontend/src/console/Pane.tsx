/** The focused conversation: actions, transcript, typing, composer, notes (offers: Conversations). */

import { useState } from "preact/hooks";
import { formatTime } from "../shared/i18n";
import type { ViewMessage } from "../shared/messages";
import { Transcript } from "../shared/Transcript";
import { takeOver } from "./actions";
import { CannedComposer, useCannedReplies } from "./CannedComposer";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel, ConvEntry } from "./model";
import { CannedPicker } from "./MyCanned";
import { NotesPanel } from "./NotesPanel";
import { PrivacyButtons } from "./PrivacyActions";
import { shortId } from "./shortId";
import { ResourcePicker } from "./resources/ResourcePicker";
import { BlockDialog, TransferDialog, WrapUpDialog } from "./PaneDialogs";
import { isSupervisor } from "./types";


type Open = "transfer" | "wrapup" | "block" | "canned" | null;

export function Pane({ model, entry }: { model: ConsoleModel; entry: ConvEntry }) {
  const { t } = useI18n();
  const conv = entry.conv;
  const id = conv.conversation_id;
  const messages = model.view(id);
  const monitoring = entry.monitoring;
  const active = conv.state === "active";
  const held = active && !monitoring;
  const [dialog, setDialog] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const replies = useCannedReplies(model, conv.language ?? "sv");
  const last = messages[messages.length - 1];

  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((err) => setError(errorText(err, t.errorCodes, t.requestFailed)));
  };

  let banner: string | null = null;
  if (entry.purged) banner = t.privacy.purged;
  else if (conv.state === "abandoned") banner = t.visitorLeft;
  else if (conv.state === "closed") banner = monitoring ? t.closedState : entry.closedByMe ? t.youClosed : t.visitorEnded;
  else if (monitoring && conv.state === "waiting") banner = t.monitorWaiting;

  return (
    <article class={monitoring ? "pane monitoring" : "pane"} aria-label={t.tabLabel(shortId(id))}>
      <div class="pane-head">
        <span class={`state state-${conv.state}`} data-testid="conv-state" data-state={conv.state}>
          {t.states[conv.state]}
        </span>
        {monitoring && (
          <span class="badge badge-monitor" data-testid="monitoring">
            {t.monitoringBadge}
          </span>
        )}
        <span class="hint">
          {[
            monitoring && conv.counselor_alias ? t.heldBy(conv.counselor_alias) : null,
            conv.language ? (t.languages[conv.language] ?? conv.language) : null,
            conv.age_band ? t.ages[conv.age_band] : null,
            conv.topic ? t.topics[conv.topic] : null,
            conv.link_label,
          ]
            .filter(Boolean)
            .join(" · ")}
        </span>
        <span class="pane-actions">
          {held && (
            <button type="button" data-testid="transfer" onClick={() => setDialog("transfer")}>
              {t.transfer}
            </button>
          )}
          {held && (
            <button type="button" data-testid="release" onClick={() => run(() => model.release(id))}>
              {t.release}
            </button>
          )}
          {held && (
            <button type="button" class="danger" data-testid="block" onClick={() => setDialog("block")}>
              {t.block}
            </button>
          )}
          {held && (
            <button type="button" class="danger" data-testid="close" onClick={() => setDialog("wrapup")}>
              {t.close}
            </button>
          )}
          {monitoring && isSupervisor(model.me.role) && (conv.state === "active" || conv.state === "waiting") && (
            <button type="button" data-testid="take-over" onClick={() => run(() => takeOver(model, id))}>
              {t.takeOver}
            </button>
          )}
          {monitoring && (
            <button type="button" data-testid="stop-monitor" onClick={() => model.stopMonitor(id)}>
              {t.stopMonitor}
            </button>
          )}
          <PrivacyButtons model={model} entry={entry} onError={setError} onNotice={setNotice} />
          {(!active || entry.purged) && (!monitoring || entry.purged) && (
            <button type="button" data-testid="dismiss" onClick={() => model.remove(id)}>
              {t.dismiss}
            </button>
          )}
        </span>
      </div>
      {monitoring && (
        <p class="monitor-note" data-testid="monitor-note">
          {t.monitoringNote}
        </p>
      )}
      {banner && (
        <p class="banner" role="status" data-testid={entry.purged ? "purged" : "visitor-state"}>
          {banner}
        </p>
      )}
      {notice && (
        <p class="notice" role="status" data-testid="export-notice">
          {notice}
        </p>
      )}
      <ErrorNote error={error ?? (entry.error && t.requestFailed)} testid="pane-error" />
      <div class="pane-body">
        <div class="pane-chat">
          <Transcript
            class="transcript"
            listClass="transcript-list"
            label={t.messagesLabel}
            newMessagesLabel={t.newMessages}
            lastKey={last?.key}
            lastIsOwn={last?.own === true}
          >
            {messages.map((m) => (
              <Line key={m.key} m={m} />
            ))}
          </Transcript>
          {entry.peerTyping && (
            <p class="typing" data-testid="typing">
              {t.typing}
            </p>
          )}
          {!monitoring && !entry.purged && (
            <CannedComposer
              id={`composer-${id}`}
              value={entry.draft}
              disabled={!active}
              replies={replies}
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
          )}
          {!monitoring && !entry.purged && (
            <div class="composer-tools">
              <button type="button" data-testid="canned-picker-open" disabled={!active} onClick={() => setDialog("canned")}>
                {t.myCanned.pickerOpen}
              </button>
              <ResourcePicker api={model.api} conversationId={id} disabled={!active} />
            </div>
          )}
        </div>
        {!entry.purged && <NotesPanel model={model} entry={entry} kind={monitoring ? "whisper" : "note"} />}
      </div>
      {dialog === "transfer" && <TransferDialog model={model} conv={conv} onClose={() => setDialog(null)} />}
      {dialog === "wrapup" && <WrapUpDialog model={model} conv={conv} onClose={() => setDialog(null)} />}
      {dialog === "block" && <BlockDialog model={model} conv={conv} onClose={() => setDialog(null)} />}
      {dialog === "canned" && (
        <CannedPicker
          replies={replies}
          onClose={() => setDialog(null)}
          onPick={(body) => {
            model.composing(id, entry.draft.trim() ? `${entry.draft.trimEnd()} ${body}` : body);
            setDialog(null);
            requestAnimationFrame(() => document.getElementById(`composer-${id}`)?.focus());
          }}
        />
      )}
    </article>
  );
}

function Line({ m }: { m: ViewMessage }) {
  const { t, lang } = useI18n();
  if (m.author === "system")
    return (
      <li class="msg msg-system" data-testid="message" data-seq={m.seq ?? undefined} data-author="system">
        <span class="visually-hidden">{t.system}: </span>
        <span class="msg-body">{m.body}</span>
        {m.at && <time dateTime={m.at}>{formatTime(m.at, lang)}</time>}
      </li>
    );
  const who = m.author === "visitor" ? t.visitor : (m.alias ?? t.you);
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
