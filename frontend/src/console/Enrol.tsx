/** Two-step sign-in set-up: QR code and key, a code to confirm, then the ten recovery codes, shown once. */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../shared/api";
import type { ConsoleApi, Enrolment } from "./api";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";

interface Props {
  api: ConsoleApi;
  /** TOTP is on and the codes were saved. */
  onDone: () => void;
  /** Leave without enrolling (sign out, or close when it was optional). */
  onLeave: () => void;
  leaveLabel?: string;
}

/** The server's SVG as an image: an <img> never runs scripts, and no inline style is needed. */
export const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The key in groups of four, easier to type into an app. */
export const groupKey = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

export function Enrol({ api, onDone, onLeave, leaveLabel }: Props) {
  const { t } = useI18n();
  const e = t.privacy.enrol;
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);

  const start = () => {
    setLoadError(null);
    api.enrolTotp().then(setEnrolment, (err) =>
      setLoadError(errorText(err, { totp_already_enabled: e.already }, e.loadError)),
    );
  };
  useEffect(start, []);

  const confirm = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.confirmTotp(code.replace(/\s/g, ""));
      setCodes(res.recovery_codes);
    } catch (err) {
      setCode("");
      if (err instanceof ApiError && err.code === "totp_not_enrolling") start();
      setError(errorText(err, { totp_invalid: e.invalid, totp_already_enabled: e.already }, t.requestFailed));
    } finally {
      setBusy(false);
    }
  };

  if (codes)
    return (
      <main class="login enrol" aria-labelledby="codes-h">
        <h1 id="codes-h">{e.codesHeading}</h1>
        <p>{e.codesIntro}</p>
        <ol class="recovery-codes" data-testid="recovery-codes">
          {codes.map((c) => (
            <li key={c}>
              <code data-testid="recovery-code">{c}</code>
            </li>
          ))}
        </ol>
        <label class="check">
          <input type="checkbox" data-testid="codes-saved" checked={saved} onChange={(ev) => setSaved(ev.currentTarget.checked)} />{" "}
          {e.saved}
        </label>
        <button type="button" class="primary" data-testid="enrol-done" disabled={!saved} onClick={onDone}>
          {e.continue}
        </button>
        {!saved && <p class="hint">{e.savedHint}</p>}
      </main>
    );

  return (
    <main class="login enrol" aria-labelledby="enrol-h" data-testid="enrol-page">
      <h1 id="enrol-h">{e.heading}</h1>
      <p>{e.intro}</p>
      {loadError && (
        <>
          <ErrorNote error={loadError} testid="enrol-error" />
          <button type="button" onClick={start}>
            {e.retry}
          </button>
        </>
      )}
      {!enrolment && !loadError && <p role="status">{t.loading}</p>}
      {enrolment && (
        <>
          <p>{e.step1}</p>
          <img class="totp-qr" data-testid="totp-qr" src={svgDataUrl(enrolment.qr_svg)} alt={e.qrAlt} width={240} height={240} />
          <p>{e.manual}</p>
          <p>
            <code class="totp-secret" data-testid="totp-secret" data-secret={enrolment.secret}>
              {groupKey(enrolment.secret)}
            </code>
          </p>
          <form onSubmit={(ev) => void confirm(ev)}>
            <label for="enrol-code">{e.step2}</label>
            <input
              id="enrol-code"
              data-testid="enrol-code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9 ]{6,7}"
              maxLength={7}
              required
              value={code}
              onInput={(ev) => setCode(ev.currentTarget.value)}
            />
            <ErrorNote error={error} testid="enrol-code-error" />
            <button type="submit" class="primary" data-testid="enrol-confirm" disabled={busy} aria-busy={busy}>
              {busy ? e.confirming : e.confirm}
            </button>
          </form>
        </>
      )}
      <p>
        <button type="button" data-testid="enrol-leave" onClick={onLeave}>
          {leaveLabel ?? e.signOut}
        </button>
      </p>
    </main>
  );
}
