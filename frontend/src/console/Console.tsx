/** Signed-in console: header (views, presence, alerts, language, sign out), then the chosen view. */

import { useEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import type { ConsoleApi, Session } from "./api";
import { otherLang } from "../shared/i18n";
import { PRESENCES, type Presence } from "../shared/protocol";
import { AccountMenu } from "./AccountMenu";
import { AdminView } from "./admin/AdminView";
import { Conversations } from "./Conversations";
import { useI18n } from "./i18n";
import { ConsoleModel } from "./model";
import { Notifier } from "./notify";
import { MyCannedPage } from "./MyCanned";
import { QueuePanel } from "./QueuePanel";
import { ShortcutsDialog, useShortcuts } from "./Shortcuts";
import { OutreachView } from "./outreach/OutreachView";
import { NUDGING_FRAMES, SupervisionFeed, syncMonitored } from "./supervision";
import { SupervisionView } from "./Supervision";
import { isSupervisor } from "./types";
import { MailboxView } from "./mailbox/MailboxView";
import { useWaitingLetters } from "./mailbox/useMailbox";

type View = "chats" | "mailbox" | "canned" | "supervision" | "outreach" | "admin";

interface Props {
  api: ConsoleApi;
  session: Session;
  onSignedOut: () => void;
  onExpired: () => void;
}

export function Console({ api, session, onSignedOut, onExpired }: Props) {
  const { t, lang, setLang } = useI18n();
  const [, bump] = useReducer((n: number, _: void) => n + 1, 0);
  const rerender = () => bump();
  const notifier = useMemo(() => new Notifier(), []);
  const [notifyOn, setNotifyOn] = useState(true);
  const [desktopOn, setDesktopOn] = useState(false);
  const [desktopDenied, setDesktopDenied] = useState(false);
  const [refused, setRefused] = useState(false);
  const modelRef = useRef<ConsoleModel | null>(null);
  const feedRef = useRef<SupervisionFeed | null>(null);
  const [view, setView] = useState<View>("chats");
  const me = session.counselor;
  const supervisor = isSupervisor(me.role);
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    const model = new ConsoleModel(
      session.counselor,
      api,
      rerender,
      (kind) => notifier.notify(kind, kind === "queue" ? tRef.current.newInQueueTitle : tRef.current.newMessageTitle),
      () => void api.me().then((s) => (s ? setRefused(true) : onExpired()), () => setRefused(true)),
    );
    modelRef.current = model;
    let unsubscribe = () => {};
    if (supervisor) {
      const feed = new SupervisionFeed(api, (data, askedAt) => {
        if (data) syncMonitored(model, data, askedAt);
        rerender();
      });
      feedRef.current = feed;
      unsubscribe = model.client.subscribe((ev) => {
        if (ev.type === "frame" && NUDGING_FRAMES.has(ev.frame.type)) feed.nudge();
      });
      feed.start();
    }
    model.start();
    rerender();
    const seen = () => document.visibilityState === "visible" && model.markRead();
    const unlock = () => notifier.unlock();
    document.addEventListener("visibilitychange", seen);
    window.addEventListener("focus", seen);
    document.addEventListener("pointerdown", unlock);
    document.addEventListener("keydown", unlock);
    return () => {
      document.removeEventListener("visibilitychange", seen);
      window.removeEventListener("focus", seen);
      document.removeEventListener("pointerdown", unlock);
      document.removeEventListener("keydown", unlock);
      unsubscribe();
      feedRef.current?.stop();
      model.dispose();
    };
  }, []);

  const model = modelRef.current;
  const [shortcutsOpen, setShortcutsOpen] = useShortcuts(model, view === "chats");
  const letters = useWaitingLetters(api, model, () => notifier.notify("queue", tRef.current.mailbox.newLetterTitle));
  useEffect(() => {
    if (document.visibilityState === "visible") model?.markRead();
  });

  const signOut = async () => {
    feedRef.current?.stop();
    model?.dispose();
    try {
      await api.logout();
    } catch {
      /* signed out locally either way */
    }
    onSignedOut();
  };

  const views: View[] = ["chats", "mailbox", "canned"];
  if (supervisor) views.push("supervision");
  views.push("outreach");
  if (me.role === "admin") views.push("admin");
  const offers = (model?.tabs() ?? []).filter((e) => !e.monitoring && e.conv.state === "active" && e.conv.accept_by).length;
  return (
    <div class="console">
      <a
        class="skip-link"
        href="#main"
        data-testid="skip-link"
        onClick={(e) => {
          e.preventDefault();
          const main = document.querySelector<HTMLElement>("main");
          if (!main) return;
          main.tabIndex = -1;
          main.focus();
        }}
      >
        {t.skipToContent}
      </a>
      <header class="console-header">
        <span class="brand">Lykta</span>
        {views.length > 1 && (
          <nav class="views" aria-label={t.navLabel}>
            {views.map((v) => (
              <button
                key={v}
                type="button"
                data-testid={`nav-${v}`}
                aria-current={view === v ? "page" : undefined}
                onClick={() => setView(v)}
              >
                {t.nav[v]}
                {v === "chats" && offers > 0 && <span class="unread"> {offers}</span>}
                {v === "mailbox" && letters > 0 && (
                  <span class="unread" data-testid="mailbox-count">
                    {" "}
                    {letters}
                  </span>
                )}
              </button>
            ))}
          </nav>
        )}
        <span class="me">
          {t.signedInAs} <strong>{me.display_name}</strong>
          <span class="hint"> {t.aliasNote(me.alias)}</span>
        </span>
        <label class="inline">
          {t.presenceLabel}
          <select
            data-testid="presence"
            value={model?.presence ?? me.presence}
            onChange={(e) => void model?.setPresence(e.currentTarget.value as Presence).catch(() => rerender())}
          >
            {PRESENCES.map((p) => (
              <option key={p} value={p}>
                {t.presences[p]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="notify-toggle"
          aria-pressed={notifyOn}
          onClick={() => {
            notifier.unlock();
            notifier.setEnabled(!notifyOn);
            setNotifyOn(!notifyOn);
          }}
        >
          {t.notifyLabel}: {notifyOn ? t.notifyOn : t.notifyOff}
        </button>
        <button type="button" data-testid="lang-switch" lang={t.switchLang} aria-label={t.switchAria} onClick={() => setLang(otherLang(lang))}>
          {t.switchLabel}
        </button>
        <button
          type="button"
          data-testid="desktop-toggle"
          aria-pressed={desktopOn}
          onClick={() => {
            if (desktopOn) {
              notifier.disableDesktop();
              setDesktopOn(false);
              return;
            }
            void notifier.enableDesktop().then((on) => {
              setDesktopOn(on);
              setDesktopDenied(!on);
            });
          }}
        >
          {t.desktopLabel}: {desktopOn ? t.notifyOn : t.notifyOff}
        </button>
        <button
          type="button"
          class="shortcuts-open"
          data-testid="shortcuts-open"
          aria-keyshortcuts="?"
          aria-label={`${t.shortcuts.open} (?)`}
          title={t.shortcuts.open}
          onClick={() => setShortcutsOpen(true)}
        >
          ?
        </button>
        <AccountMenu api={api} />
        <button type="button" data-testid="logout" onClick={() => void signOut()}>
          {t.signOut}
        </button>
      </header>
      {desktopDenied && (
        <p class="notice" role="status" data-testid="desktop-denied">
          {t.desktopDenied}
        </p>
      )}
      {refused && (
        <p class="notice" role="alert" data-testid="socket-refused">
          {t.socketRefused}
        </p>
      )}
      {!refused && model?.status === "reconnecting" && (
        <p class="notice" role="status" data-testid="reconnecting">
          {t.reconnecting}
        </p>
      )}
      {model && view === "chats" && (
        <main class="console-body">
          <QueuePanel model={model} />
          <Conversations model={model} />
        </main>
      )}
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
      {model && view === "mailbox" && <MailboxView model={model} supervisor={supervisor} />}
      {model && view === "supervision" && feedRef.current && (
        <main class="console-page">
          <SupervisionView model={model} feed={feedRef.current} onOpenChat={() => setView("chats")} />
        </main>
      )}
      {model && view === "canned" && (
        <main class="console-page">
          <MyCannedPage model={model} />
        </main>
      )}
      {view === "outreach" && (
        <main class="console-page">
          <OutreachView api={api} />
        </main>
      )}
      {view === "admin" && (
        <main class="console-page">
          <AdminView api={api} me={me} />
        </main>
      )}
    </div>
  );
}
