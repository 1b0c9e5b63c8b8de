/** Sign-in form: e-ID (OpenID Connect) when the server offers it, password, then a one-time code or a
 * recovery code when the server asks (401 totp_required); lockouts and limits say how long to wait. */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../shared/api";
import type { ConsoleApi, SecondFactor, Session, SignInOptions } from "./api";
import { otherLang } from "../shared/i18n";
import { useI18n } from "./i18n";
import { ErrorNote } from "../shared/ErrorNote";

interface Props {
  api: ConsoleApi;
  expired: boolean;
  onSignedIn: (s: Session) => void;
}

/** What e-ID sent back in the fragment, read once and cleared as it is read (before the page first shows, so a
 * reload or a copied address does not repeat it): `#signin_error=<code>` after a failed sign-in, `#signin_totp` for
 * an account with two-step sign-in whose code is still to come. The fragment never reaches a server log. */
function takeOidcReturn(): { error: string | null; codePending: boolean } {
  const error = /signin_error=([a-z_]+)/.exec(location.hash)?.[1] ?? null;
  const codePending = location.hash === "#signin_totp";
  if (error || codePending) history.replaceState(null, "", location.pathname + location.search);
  return { error, codePending };
}

export function Login({ api, expired, onSignedIn }: Props) {
  const { t, lang, setLang } = useI18n();
  const s = t.privacy.signIn;
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [oidcReturn] = useState(takeOidcReturn);
  const [oidcPending, setOidcPending] = useState(oidcReturn.codePending);
  const [needCode, setNeedCode] = useState(oidcPending);
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const oidcError = oidcReturn.error;
  const [error, setError] = useState<string | null>(
    oidcError ? (s.oidcErrors[oidcError] ?? t.requestFailed) : oidcPending ? t.totpRequired : expired ? t.sessionExpired : null,
  );

  useEffect(() => {
    api.signInOptions().then(setOptions, () => setOptions({ password: true, oidc: false, totp_required: false }));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const typed = code.trim();
    const second: SecondFactor | undefined =
      needCode && typed ? (useRecovery ? { recovery_code: typed } : { totp: typed.replace(/\s/g, "") }) : undefined;
    try {
      onSignedIn(oidcPending && second ? await api.oidcSecondFactor(second) : await api.login(username.trim(), password, second));
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      const errCode = err instanceof ApiError ? err.code : "";
      const wait = err instanceof ApiError ? (err.retryAfter ?? Number(err.body.retry_after ?? 60)) : 60;
      if (errCode === "oidc_second_factor_expired") {
        setOidcPending(false);
        setNeedCode(false);
        setCode("");
        setError(s.oidcErrors[errCode] ?? t.requestFailed);
      } else if (errCode === "totp_required") {
        setNeedCode(true);
        setError(t.totpRequired);
      } else if (errCode === "totp_invalid" || errCode === "invalid_totp") {
        setCode("");
        setError(t.invalidTotp);
      } else if (errCode === "account_locked") setError(s.locked(wait));
      else if (status === 429) setError(s.limited(wait));
      else if (errCode === "password_login_disabled") setError(s.passwordDisabled);
      else if (status === 401) {
        setNeedCode(false);
        setCode("");
        setError(t.invalidCredentials);
      } else setError(t.requestFailed);
    } finally {
      setBusy(false);
    }
  };

  const passwordOn = options?.password !== false;
  return (
    <main class="login">
      <div class="login-top">
        <button type="button" data-testid="lang-switch" lang={t.switchLang} aria-label={t.switchAria} onClick={() => setLang(otherLang(lang))}>
          {t.switchLabel}
        </button>
      </div>
      <h1>{t.signInHeading}</h1>
      {options?.oidc && (
        <p class="oidc">
          <a class="oidc-button" href="/api/console/oidc/start" data-testid="login-oidc">
            {s.oidc}
          </a>
        </p>
      )}
      {options?.oidc && passwordOn && <p class="hint or">{s.or}</p>}
      {!passwordOn && <ErrorNote error={error} testid="login-error" />}
      {(passwordOn || oidcPending) && (
        <form onSubmit={(e) => void submit(e)}>
          {!oidcPending && (
            <>
          <label for="login-username">{t.username}</label>
          <input
            id="login-username"
            data-testid="login-username"
            autocomplete="username"
            required
            readOnly={needCode}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <label for="login-password">{t.password}</label>
          <input
            id="login-password"
            data-testid="login-password"
            type="password"
            autocomplete="current-password"
            required
            readOnly={needCode}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
            </>
          )}
          {needCode && (
            <>
              <label for="login-totp">{useRecovery ? s.recoveryLabel : t.totp}</label>
              <input
                id="login-totp"
                key={useRecovery ? "recovery" : "totp"}
                data-testid="login-totp"
                inputMode={useRecovery ? "text" : "numeric"}
                autocomplete={useRecovery ? "off" : "one-time-code"}
                aria-describedby="login-totp-hint"
                maxLength={useRecovery ? 32 : 8}
                required
                autoFocus
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
              />
              <p class="hint" id="login-totp-hint">
                {useRecovery ? s.recoveryHint : s.totpHint}
              </p>
              <button
                type="button"
                class="linkish"
                data-testid="login-use-recovery"
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setCode("");
                }}
              >
                {useRecovery ? s.totpToggle : s.recoveryToggle}
              </button>
            </>
          )}
          <ErrorNote error={error} testid="login-error" />
          <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
            {busy ? t.signingIn : t.signIn}
          </button>
        </form>
      )}
    </main>
  );
}
