/** Visitor page: status → chat → ended, with leave-quickly and the language switch on every view. */

import { useEffect, useState } from "preact/hooks";
import { ApiError, getVisitorStatus, startConversation, type StartedConversation } from "../shared/api";
import { initialLang, keepLang, type Lang } from "../shared/i18n";
import type { AgeBand, Topic } from "../shared/protocol";
import { ChatView } from "./ChatView";
import { EndedView } from "./EndedView";
import { Feedback } from "./Feedback";
import { FollowUpEntry } from "./FollowUpEntry";
import { catalogs, I18nProvider } from "./i18n";
import { installEscapeExit, setExitUrl } from "./leave";
import { getOffer, type MailboxOffer } from "./mailbox/api";
import { MailboxFlow, type MailboxMode } from "./mailbox/MailboxFlow";
import { MailboxOfferBlock } from "./mailbox/MailboxOffer";
import { clearSession, linkCode, loadSession, saveSession, type EndReason, type VisitorSession } from "./session";
import { Alternatives, ClosedView, OpenView, type ShownStatus } from "./StatusView";
import { withStaffTitle } from "./staffTitle";
import { TopBar } from "./TopBar";
import { ErrorNote } from "../shared/ErrorNote";

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<VisitorSession | null>(loadSession);
  const [status, setStatus] = useState<ShownStatus | null>(null);
  const t = withStaffTitle(catalogs[lang], lang, status?.staff_title);
  const [statusFailed, setStatusFailed] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<"start" | "rate" | null>(null);
  const [offer, setOffer] = useState<MailboxOffer | null>(null);
  const [mailbox, setMailbox] = useState<MailboxMode | null>(null);
  const code = linkCode(location.pathname);

  const setLang = (l: Lang) => {
    keepLang(l);
    setLangState(l);
  };

  const loadStatus = async () => {
    setStatusFailed(false);
    getOffer().then(setOffer, () => setOffer(null)); // without it the page works as before
    try {
      const s = await getVisitorStatus(code);
      setExitUrl(s.exit_url);
      setStatus(s);
    } catch {
      setStatusFailed(true);
    }
  };

  useEffect(() => {
    void loadStatus();
    return installEscapeExit();
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.pageTitle;
  }, [lang]);

  /** A new start or a follow-up: kept in this tab's sessionStorage, then the chat opens (its hello replays). */
  const opened = (res: StartedConversation) => {
    const s: VisitorSession = { conversation_id: res.conversation_id, token: res.token, follow_up_code: res.follow_up_code };
    clearSession();
    saveSession(s);
    setMailbox(null);
    setSession(s);
  };

  const showClosed = (next: string | null) =>
    setStatus((prev) => ({ ...(prev ?? emptyStatus), open: false, next_opening: next }));

  const start = async (choice: { age_band?: AgeBand; topic?: Topic }) => {
    setStarting(true);
    setStartError(null);
    try {
      opened(await startConversation({ ...(code ? { link_code: code } : {}), language: lang, ...choice }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 503)
        showClosed(typeof err.body.next_opening === "string" ? err.body.next_opening : null);
      else setStartError(err instanceof ApiError && err.status === 429 ? "rate" : "start");
    } finally {
      setStarting(false);
    }
  };

  /** The chat ended: the token and the code are forgotten by the tab (this view shows the code once, to write
   * down, and holds the token in memory for the feedback only); a reload starts afresh. */
  const ended = (reason: EndReason) => {
    clearSession();
    setSession((prev) => (prev ? { ...prev, ended: prev.ended ?? reason } : prev));
  };

  const startOver = () => {
    clearSession();
    setSession(null);
    setStatus(null);
    void loadStatus();
  };

  const writeToUs = offer?.offered ? <MailboxOfferBlock offer={offer} onWrite={() => setMailbox({ kind: "write" })} /> : null;
  const codeEntry = (
    <FollowUpEntry
      open={status?.open ?? false}
      onResumed={opened}
      onThread={(c, thread) => setMailbox({ kind: "thread", code: c, thread })}
      onClosed={showClosed}
    />
  );
  let body;
  if (session && !session.ended) body = <ChatView session={session} onEnded={ended} />;
  else if (session?.ended)
    body = (
      <>
        <EndedView reason={session.ended} followUpCode={session.follow_up_code} onStartOver={startOver} />
        <Feedback token={session.token} />
      </>
    );
  else if (mailbox)
    body = (
      <MailboxFlow
        mode={mailbox}
        linkCode={code}
        onMode={(next) => {
          setMailbox(next);
          if (!next) void loadStatus();
        }}
        onChat={opened}
      />
    );
  else if (status?.open)
    body = (
      <>
        <OpenView
          status={status}
          starting={starting}
          error={startError === "rate" ? t.rateLimited : startError ? t.startError : null}
          onStart={(c) => void start(c)}
        />
        {writeToUs}
        {codeEntry}
      </>
    );
  else if (status)
    body = (
      <ClosedView status={status}>
        {writeToUs}
        {codeEntry}
      </ClosedView>
    );
  else if (statusFailed)
    body = (
      <section>
        <ErrorNote error={t.loadError} />
        <button type="button" class="primary" onClick={() => void loadStatus()}>
          {t.retry}
        </button>
        <Alternatives items={[]} />
      </section>
    );
  else body = <p role="status">{t.loading}</p>;

  return (
    <I18nProvider value={{ lang, t, setLang }}>
      <TopBar />
      <main id="main">{body}</main>
    </I18nProvider>
  );
}

const emptyStatus: ShownStatus = { open: false, queue_length: 0, estimated_wait_s: null, next_opening: null, languages: [] };
