/** How the outreach forms word a server's refusal: their codes, and a contact detail named by its kind. */

import type { ConsoleCatalog } from "../../i18n/console.sv";
import { ApiError } from "../../shared/api";
import type { ErrorNoteProps } from "../../shared/ErrorNote";

type Kind = "phone" | "email" | "handle";

/** Which kind of contact detail the server saw (its English detail names it), else null. */
export function personalKind(detail: unknown): Kind | null {
  if (typeof detail !== "string") return null;
  if (/phone/i.test(detail)) return "phone";
  if (/e-?mail/i.test(detail)) return "email";
  if (/handle/i.test(detail)) return "handle";
  return null;
}

/** The ErrorNote props for an outreach form's error: personal data (the register must never hold it) is framed. */
export function outreachNote(error: unknown, t: ConsoleCatalog): Omit<ErrorNoteProps, "error"> {
  const note = { known: t.outreach.errorCodes, fallback: t.requestFailed, class: "form-error", testid: "form-error" };
  if (!(error instanceof ApiError) || error.code !== "personal_data") return note;
  const kind = personalKind(error.body.detail);
  const words = t.outreach.personalData(kind ? t.outreach.personalKinds[kind] : t.outreach.personalKinds.any);
  return { ...note, known: { ...note.known, personal_data: words }, class: "form-error privacy-error" };
}
