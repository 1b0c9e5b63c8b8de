/** Console page: resume the session (GET me) or sign in; any 401 returns here with "session expired". */

import { useEffect, useMemo, useState } from "preact/hooks";
import { ConsoleApi, type Session } from "./api";
import { initialLang, keepLang, type Lang } from "../shared/i18n";
import { Console } from "./Console";
import { Enrol } from "./Enrol";
import { catalogs, I18nProvider } from "./i18n";
import { Login } from "./Login";
import type { StaffTitle } from "../shared/protocol";
import { fetchStaffTitle, withStaffTitle } from "./staffTitle";
import { ErrorNote } from "../shared/ErrorNote";

type Phase = "loading" | "login" | "enrol" | "console" | "failed";

/** A session that must set up TOTP first may only enrol (the server answers 403 totp_enrolment_required). */
const phaseOf = (s: Session | null): Phase => (!s ? "login" : s.totp_enrolment_required ? "enrol" : "console");

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [staffTitle, setStaffTitle] = useState<StaffTitle | null>(null);
  const t = withStaffTitle(catalogs[lang], lang, staffTitle);
  useEffect(() => void fetchStaffTitle().then(setStaffTitle), []);
  const [phase, setPhase] = useState<Phase>("loading");
  const [session, setSession] = useState<Session | null>(null);
  const [expired, setExpired] = useState(false);
  const api = useMemo(
    () =>
      new ConsoleApi(() => {
        setSession(null);
        setExpired(true);
        setPhase("login");
      }),
    [],
  );

  const setLang = (l: Lang) => {
    keepLang(l);
    setLangState(l);
  };

  const resume = () => {
    setPhase("loading");
    api.me().then(
      (s) => {
        setSession(s);
        setPhase(phaseOf(s));
      },
      () => setPhase("failed"),
    );
  };

  useEffect(resume, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.pageTitle;
  }, [lang]);

  let body;
  if (phase === "console" && session)
    body = (
      <Console
        key={session.counselor.id}
        api={api}
        session={session}
        onSignedOut={() => {
          setSession(null);
          setExpired(false);
          setPhase("login");
        }}
        onExpired={() => {
          setSession(null);
          setExpired(true);
          setPhase("login");
        }}
      />
    );
  else if (phase === "enrol")
    body = (
      <Enrol
        api={api}
        onDone={resume}
        onLeave={() => {
          void api.logout().catch(() => undefined);
          setSession(null);
          setExpired(false);
          setPhase("login");
        }}
      />
    );
  else if (phase === "login")
    body = (
      <Login
        api={api}
        expired={expired}
        onSignedIn={(s) => {
          setSession(s);
          setExpired(false);
          setPhase(phaseOf(s));
        }}
      />
    );
  else if (phase === "failed")
    body = (
      <main class="center">
        <ErrorNote error={t.requestFailed} />
        <button type="button" onClick={resume}>
          {t.signIn}
        </button>
      </main>
    );
  else
    body = (
      <main class="center">
        <p role="status">{t.loading}</p>
      </main>
    );

  return <I18nProvider value={{ lang, t, setLang }}>{body}</I18nProvider>;
}
