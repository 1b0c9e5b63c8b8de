/** A conversation's privacy tools: "Purge now" (holder or supervisor, with a confirm step) and
 * "Export transcript" (supervisors and admins; a logged download). */

import { useState } from "preact/hooks";
import { Dialog } from "./Dialog";
import { ErrorNote, errorText } from "../shared/ErrorNote";
import { useI18n } from "./i18n";
import type { ConsoleModel, ConvEntry } from "./model";
import { exportTranscript, purgeNow } from "./privacy";
import { isSupervisor } from "./types";

interface Props {
  model: ConsoleModel;
  entry: ConvEntry;
  onError: (text: string | null) => void;
  onNotice: (text: string | null) => void;
}

export function PrivacyButtons({ model, entry, onError, onNotice }: Props) {
  const { t } = useI18n();
  const p = t.privacy;
  const id = entry.conv.conversation_id;
  const supervisor = isSupervisor(model.me.role);
  const holder = !entry.monitoring && entry.conv.counselor_id === model.me.id;
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  if (entry.purged) return null;

  const exportNow = async () => {
    setExporting(true);
    onError(null);
    onNotice(null);
    try {
      await exportTranscript(model.api, id);
      onNotice(p.exportLogged);
    } catch (err) {
      onError(errorText(err, { ...t.errorCodes, ...p.errorCodes }, t.requestFailed));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      {supervisor && (
        <button
          type="button"
          data-testid="export"
          title={p.exportNote}
          disabled={exporting}
          aria-busy={exporting}
          onClick={() => void exportNow()}
        >
          {exporting ? p.exporting : p.export}
        </button>
      )}
      {(holder || supervisor) && (
        <button type="button" class="danger" data-testid="purge" onClick={() => setConfirming(true)}>
          {p.purge}
        </button>
      )}
      {confirming && <PurgeDialog model={model} id={id} onClose={() => setConfirming(false)} />}
    </>
  );
}

function PurgeDialog({ model, id, onClose }: { model: ConsoleModel; id: string; onClose: () => void }) {
  const { t } = useI18n();
  const p = t.privacy;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await purgeNow(model, id);
      onClose();
    } catch (err) {
      setError(errorText(err, { ...t.errorCodes, ...p.errorCodes }, t.requestFailed));
      setBusy(false);
    }
  };
  return (
    <Dialog title={p.purgeHeading} testid="purge-dialog" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>{p.purgeText}</p>
        <ErrorNote error={error} testid="purge-error" />
        <div class="dialog-actions">
          <button type="button" data-testid="purge-cancel" onClick={onClose}>
            {p.cancel}
          </button>
          <button type="submit" class="primary danger-fill" data-testid="purge-confirm" disabled={busy} aria-busy={busy}>
            {busy ? p.purging : p.purgeConfirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
