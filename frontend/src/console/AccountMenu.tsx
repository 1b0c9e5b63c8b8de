/** "My account" in the console header: change password, and set up two-step sign-in when it is optional. */

import { useState } from "preact/hooks";
import type { ConsoleApi, Session } from "./api";
import { Dialog } from "./Dialog";
import { Enrol } from "./Enrol";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";

export function AccountMenu({ api, onSession }: { api: ConsoleApi; onSession?: (s: Session) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<"password" | "totp" | null>(null);
  return (
    <>
      <details class="account-menu" data-testid="account-menu">
        <summary>{t.privacy.password.menu}</summary>
        <div class="menu-items">
          <button type="button" data-testid="change-password" onClick={() => setOpen("password")}>
            {t.privacy.password.heading}
          </button>
          <button type="button" data-testid="setup-totp" onClick={() => setOpen("totp")}>
            {t.privacy.enrol.heading}
          </button>
        </div>
      </details>
      {open === "password" && <PasswordDialog api={api} onClose={() => setOpen(null)} onSession={onSession} />}
      {open === "totp" && (
        <Dialog title={t.privacy.enrol.heading} testid="totp-dialog" onClose={() => setOpen(null)}>
          <Enrol api={api} onDone={() => setOpen(null)} onLeave={() => setOpen(null)} leaveLabel={t.privacy.password.close} />
        </Dialog>
      )}
    </>
  );
}

interface DialogProps {
  api: ConsoleApi;
  onClose: () => void;
  onSession?: ((s: Session) => void) | undefined;
}

function PasswordDialog({ api, onClose, onSession }: DialogProps) {
  const { t } = useI18n();
  const p = t.privacy.password;
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (next !== repeat) return setError(p.mismatch);
    setBusy(true);
    try {
      const session = await api.changePassword(current, next);
      onSession?.(session);
      setDone(true);
      setCurrent("");
      setNext("");
      setRepeat("");
    } catch (err) {
      const wait = (err as { retryAfter?: number | null }).retryAfter ?? 60;
      setError(
        errorText(err, { wrong_password: p.wrong, weak_password: p.weak, account_locked: t.privacy.signIn.locked(wait) }, t.requestFailed),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={p.heading} testid="password-dialog" onClose={onClose}>
      <form class="form-grid" onSubmit={(e) => void submit(e)}>
        <label for="pw-current">{p.current}</label>
        <input id="pw-current" data-testid="password-current" type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        <label for="pw-new">{p.next}</label>
        <input id="pw-new" data-testid="password-new" type="password" autocomplete="new-password" required minLength={10} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        <label for="pw-repeat">{p.repeat}</label>
        <input id="pw-repeat" data-testid="password-repeat" type="password" autocomplete="new-password" required minLength={10} value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
        <ErrorNote error={error} testid="password-error" class="span2" />
        {done && (
          <p class="ok span2" role="status" data-testid="password-done">
            {p.done}
          </p>
        )}
        <div class="dialog-actions span2">
          <button type="button" data-testid="password-close" onClick={onClose}>
            {p.close}
          </button>
          <button type="submit" class="primary" data-testid="password-save" disabled={busy} aria-busy={busy}>
            {busy ? p.saving : p.save}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
