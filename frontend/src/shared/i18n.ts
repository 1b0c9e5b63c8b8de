/** Language choice (Swedish default, English on request), formatting, and a typed catalog context. */

import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Lang = "sv" | "en";
export const LANGS: readonly Lang[] = ["sv", "en"];
const LANG_KEY = "lykta.lang";

const locale = (lang: Lang): string => (lang === "sv" ? "sv-SE" : "en-GB");

/** The language kept for this tab only (sessionStorage), else Swedish. */
export function initialLang(): Lang {
  try {
    const v = sessionStorage.getItem(LANG_KEY);
    if (v === "sv" || v === "en") return v;
  } catch {
    /* storage blocked */
  }
  return "sv";
}

export function keepLang(lang: Lang): void {
  try {
    sessionStorage.setItem(LANG_KEY, lang);
  } catch {
    /* storage blocked */
  }
  document.documentElement.lang = lang;
}

export function otherLang(lang: Lang): Lang {
  return lang === "sv" ? "en" : "sv";
}

export function formatDateTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
  }).format(d);
}

export function formatTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(locale(lang), { hour: "2-digit", minute: "2-digit" }).format(d);
}

/** Whole minutes for a wait in seconds, at least 1. */
export function waitMinutes(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

export interface I18n<C> {
  lang: Lang;
  t: C;
  setLang: (lang: Lang) => void;
}

/** A context carrying one page's catalog; each page makes its own so it bundles only its strings. */
export function makeI18n<C>(fallback: C) {
  const Ctx = createContext<I18n<C>>({ lang: "sv", t: fallback, setLang: () => undefined });
  const useI18n = (): I18n<C> => useContext(Ctx);
  return { Provider: Ctx.Provider, useI18n };
}
