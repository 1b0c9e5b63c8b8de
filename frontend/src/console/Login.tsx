/** Sign-in form; the one-time code field appears when the server asks for it (401 totp_required). */

import { useState } from "preact/hooks";
import { ApiError } from "../shared/api";
import type { ConsoleApi, Session } from "./api";
import { otherLang } from "../shared/i18n";
import { useI18n } from "./i18n";

type ErrorKey = "sessionExpired" | "totpRequired" | "invalidTotp" | "invalidCredentials" | "requestFailed";

interface Props {
  api: ConsoleApi;
  expired: boolean;
  onSignedIn: (s: Session) => void;
}

export function Login({ api, expired, onSignedIn }: Props) {
  const { t, lang, setLang } = useI18n();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(expired ? "sessionExpired" : null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(username.trim(), password, needTotp ? totp.trim() : undefined));
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "";
      if (code === "totp_required") {
        setNeedTotp(true);
        setError("totpRequired");
      } else if (code === "invalid_totp") setError("invalidTotp");
      else if (err instanceof ApiError && err.status === 401) setError("invalidCredentials");
      else setError("requestFailed");
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <div class="login-top">
        <button type="button" data-testid="lang-switch" lang={t.switchLang} aria-label={t.switchAria} onClick={() => setLang(otherLang(lang))}>
          {t.switchLabel}
        </button>
      </div>
      <h1>{t.signInHeading}</h1>
      <form onSubmit={submit}>
        <label for="login-username">{t.username}</label>
        <input
          id="login-username"
          data-testid="login-username"
          autocomplete="username"
          required
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
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {needTotp && (
          <>
            <label for="login-totp">{t.totp}</label>
            <input
              id="login-totp"
              data-testid="login-totp"
              inputMode="numeric"
              autocomplete="one-time-code"
              required
              value={totp}
              onInput={(e) => setTotp(e.currentTarget.value)}
            />
          </>
        )}
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {t[error]}
          </p>
        )}
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
