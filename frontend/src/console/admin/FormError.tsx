/** A server error shown next to the form it belongs to: the server's words, and its code. */

import { ApiError } from "../../shared/api";
import { errorText } from "../errors";
import { useI18n } from "../i18n";

export function FormError({ error, testid = "form-error" }: { error: unknown; testid?: string }) {
  const { t } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <p class="error form-error" role="alert" data-testid={testid} data-code={code ?? undefined}>
      {errorText(error, t.admin.errorCodes, t.requestFailed)}
    </p>
  );
}

/** Runs a request, keeping its error for a FormError; resolves true when it succeeded. */
export async function attempt(action: () => Promise<unknown>, setError: (err: unknown) => void): Promise<boolean> {
  setError(null);
  try {
    await action();
    return true;
  } catch (err) {
    setError(err);
    return false;
  }
}
