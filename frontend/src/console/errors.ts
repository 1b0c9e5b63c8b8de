/** How the console's forms keep a failed request for the shared ErrorNote, and the words their notes use. */

import type { ConsoleCatalog } from "../i18n/console.sv";
import type { ErrorNoteProps } from "../shared/ErrorNote";

/** Runs a request, keeping its error for an ErrorNote; resolves true when it succeeded. */
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

/** An admin form's note: the admin codes in words, the form's spacing, the test id the browser tests read. */
export function adminNote(t: ConsoleCatalog): Omit<ErrorNoteProps, "error"> {
  return { known: t.admin.errorCodes, fallback: t.requestFailed, class: "form-error", testid: "form-error" };
}
