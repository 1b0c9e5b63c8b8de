/** Signed-in console: header (presence, alerts, language, sign out), queue, conversations. */

import { useEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import type { ConsoleApi, Session } from "../shared/api";
import { otherLang } from "../shared/i18n";
import { PRESENCES, type Presence } from "../shared/protocol";
import { Conversations } from "./Conversations";
import { useI18n } from "./i18n";
import { ConsoleModel } from "./model";
import { Notifier } from "./notify";
import { QueuePanel } from "./QueuePanel";

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
  const [refused, setRefused] = useState(false);
  const modelRef = useRef<ConsoleModel | null>(null);
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
      model.dispose();
    };
  }, []);

  const model = modelRef.current;
  useEffect(() => {
    if (document.visibilityState === "visible") model?.markRead();
  });

  const signOut = async () => {
    model?.dispose();
    try {
      await api.logout();
    } catch {
      /* signed out locally either way */
    }
    onSignedOut();
  };

  const me = session.counselor;
  return (
    <div class="console">
      <header class="console-header">
        <span class="brand">Lykta</span>
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
        <button type="button" data-testid="logout" onClick={() => void signOut()}>
          {t.signOut}
        </button>
      </header>
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
      {model && (
        <div class="console-body">
          <QueuePanel model={model} />
          <Conversations model={model} />
        </div>
      )}
    </div>
  );
}
