/** Canned replies in the composer: the `/keyword` being typed, the matching replies, the expansion. */

import type { CannedReply } from "./types";

export interface SlashToken {
  /** Index of the slash. */
  start: number;
  /** Index just after the keyword (the word may go on after the caret). */
  end: number;
  /** What has been typed after the slash, lower-cased. */
  query: string;
}

const BEFORE = /(^|\s)\/([A-Za-z0-9_-]{0,32})$/;
const WORD_REST = /^[A-Za-z0-9_-]*/;

/**
 * The `/keyword` at the caret: a slash at the start of the text or after white space, followed by
 * keyword characters up to the caret; null when the caret is not in such a word.
 */
export function slashToken(text: string, caret: number): SlashToken | null {
  const at = Math.max(0, Math.min(caret, text.length));
  const m = BEFORE.exec(text.slice(0, at));
  if (!m) return null;
  const typed = m[2] ?? "";
  const rest = WORD_REST.exec(text.slice(at))?.[0] ?? "";
  const end = at + rest.length;
  if (end - (at - typed.length) > 32) return null;
  return { start: at - typed.length - 1, end, query: typed.toLowerCase() };
}

/** Replies whose keyword starts with the query: an exact match first, then by keyword; at most `limit`. */
export function matchCanned(items: readonly CannedReply[], query: string, limit = 8): CannedReply[] {
  const q = query.toLowerCase();
  return items
    .filter((r) => r.keyword.toLowerCase().startsWith(q))
    .sort((a, b) => {
      const exact = Number(b.keyword === q) - Number(a.keyword === q);
      return exact || a.keyword.localeCompare(b.keyword) || a.id - b.id;
    })
    .slice(0, limit);
}

/** The text with the `/keyword` replaced by the reply's body, and where the caret goes. */
export function expandCanned(text: string, token: SlashToken, body: string): { text: string; caret: number } {
  const head = text.slice(0, token.start);
  const tail = text.slice(token.end);
  const spacer = tail && !/^\s/.test(tail) ? " " : "";
  return { text: head + body + spacer + tail, caret: head.length + body.length + spacer.length };
}
