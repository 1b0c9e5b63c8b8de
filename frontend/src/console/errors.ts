/** A failed request as words for the person: a known code in their language, else the server's text. */

import { ApiError } from "../shared/api";

export function errorText(err: unknown, known: Record<string, string>, fallback: string): string {
  if (err instanceof ApiError) {
    const mapped = known[err.code];
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
