/** Copy text: the async Clipboard API where the page may use it, else the older copy command on a selected field. */

/** True when the text reached the clipboard; on false the field (when given) is left selected for Ctrl+C. */
export async function copyText(text: string, field?: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* refused (no permission, page not focused): try the fallback */
  }
  const own = field ? null : document.createElement("textarea");
  const target = field ?? own;
  if (!target) return false;
  if (own) {
    own.value = text;
    own.setAttribute("readonly", "");
    own.className = "visually-hidden";
    document.body.appendChild(own);
  }
  const active = document.activeElement as HTMLElement | null;
  target.focus();
  target.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  if (own) {
    own.remove();
    active?.focus();
  }
  return ok;
}
