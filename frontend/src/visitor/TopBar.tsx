/** Always first on the page: leave quickly (first focusable element), the honest note, language. */

import { otherLang } from "../shared/i18n";
import { useI18n } from "./i18n";
import { leaveQuickly } from "./leave";

export function TopBar() {
  const { t, lang, setLang } = useI18n();
  return (
    <>
      <header class="top-bar">
        <button type="button" class="leave" data-testid="leave-quickly" onClick={leaveQuickly}>
          {t.leaveQuickly}
        </button>
        <button
          type="button"
          class="lang"
          data-testid="lang-switch"
          lang={t.switchLang}
          aria-label={t.switchAria}
          onClick={() => setLang(otherLang(lang))}
        >
          {t.switchLabel}
        </button>
      </header>
      <p class="leave-note">
        {t.leaveNote} {t.leaveEscHint}
      </p>
    </>
  );
}
