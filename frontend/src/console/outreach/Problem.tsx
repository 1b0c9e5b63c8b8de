/** A server refusal on an outreach form, in the person's words (and its code for tests and support). */

import { ApiError } from "../../shared/api";
import { errorText } from "../errors";
import { useI18n } from "../i18n";

type Kind = "phone" | "email" | "handle";

/** Which kind of contact detail the server saw (its English detail names it), else null. */
export function personalKind(detail: unknown): Kind | null {
  if (typeof detail !== "string") return null;
  if (/phone/i.test(detail)) return "phone";
  if (/e-?mail/i.test(detail)) return "email";
  if (/handle/i.test(detail)) return "handle";
  return null;
}

export function Problem({ error, testid = "form-error" }: { error: unknown; testid?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : null;
  let text: string;
  if (error instanceof ApiError && code === "personal_data") {
    const kind = personalKind(error.body.detail);
    text = t.outreach.personalData(kind ? t.outreach.personalKinds[kind] : t.outreach.personalKinds.any);
  } else {
    text = errorText(error, t.outreach.errorCodes, t.requestFailed);
  }
  return (
    <p class={code === "personal_data" ? "error form-error privacy-error" : "error form-error"} role="alert" data-testid={testid} data-code={code ?? undefined}>
      {text}
    </p>
  );
}
