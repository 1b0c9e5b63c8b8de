/** "Leave quickly": close the socket, forget everything, and replace this history entry. */

export const FALLBACK_EXIT_URL = "https://www.google.com/";

let exitUrl = FALLBACK_EXIT_URL;
const cleanups = new Set<() => void>();

export function setExitUrl(url: string | undefined): void {
  if (!url) return;
  try {
    const u = new URL(url);
    if (u.protocol === "https:" || u.protocol === "http:") exitUrl = u.href;
  } catch {
    /* keep the fallback */
  }
}

/** Registers something to stop on leave (e.g. the socket); returns an unregister function. */
export function onLeave(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function leaveQuickly(): void {
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      /* keep leaving */
    }
  }
  cleanups.clear();
  try {
    sessionStorage.clear();
  } catch {
    /* storage blocked */
  }
  document.title = "";
  document.body.replaceChildren();
  location.replace(exitUrl);
}

/** Escape pressed twice within a second and a half also leaves. */
export function installEscapeExit(): () => void {
  let last = 0;
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    const now = Date.now();
    if (now - last < 1500) leaveQuickly();
    else last = now;
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}
