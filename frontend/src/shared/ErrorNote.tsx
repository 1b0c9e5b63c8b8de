/** The one way the pages show a failure: a paragraph read out at once, in the person's words. */

import { ApiError, type CodeWords, type ErrorCode } from "./api";

/** A failed request as words: a known code in the page's language, else the server's detail, else the fallback. */
export function errorText(err: unknown, known: CodeWords, fallback: string): string {
  if (err instanceof ApiError) {
    const mapped = known[err.code as ErrorCode];
    if (mapped) return mapped;
    const detail = err.body.detail;
    if (typeof detail === "string" && detail) return detail;
    // FastAPI's own validation errors: detail is a list of {loc, msg}.
    if (Array.isArray(detail) && detail.length) {
      const first = detail[0] as { loc?: unknown[]; msg?: string };
      const where = Array.isArray(first.loc) ? first.loc.filter((p) => p !== "body").join(".") : "";
      if (first.msg) return where ? `${where}: ${first.msg}` : first.msg;
    }
  }
  return fallback;
}

export interface ErrorNoteProps {
  /** Nothing shows while it is empty; an ApiError (`{detail, code}`) is put in words, a string is the words. */
  error: unknown;
  /** The page's words for the codes it translates. */
  known?: CodeWords;
  /** The words for anything else (a lost connection, a code without words and without detail). */
  fallback?: string;
  testid?: string;
  /** Classes beside "error" (a form's "form-error"). */
  class?: string;
}

/** `role="alert"` so a screen reader says it when it appears; `data-code` carries the server's code for support and tests. */
export function ErrorNote({ error, known = {}, fallback = "", testid, class: extra }: ErrorNoteProps) {
  if (!error) return null;
  const text = typeof error === "string" ? error : errorText(error, known, fallback);
  return (
    <p class={extra ? `error ${extra}` : "error"} role="alert" data-testid={testid} data-code={error instanceof ApiError ? error.code : undefined}>
      {text}
    </p>
  );
}
