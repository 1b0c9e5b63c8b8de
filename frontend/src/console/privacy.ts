/** Privacy actions over HTTP: purge now, transcript export (a download), the audit log. */

import type { Answer, Schema } from "../shared/api";
import type { ConsoleApi } from "./api";
import type { ConsoleModel } from "./model";

export type PurgeResult = Schema<"PurgedPublic">;
export type AuditEntry = Schema<"AuditEntryPublic">;

/** The audit log's filter as the form holds it (text fields; empty ones are left out of the query). */
export interface AuditFilter {
  actor: string;
  action: string;
  conversation: string;
  from: string;
  to: string;
  limit: string;
}

export const EMPTY_FILTER: AuditFilter = { actor: "", action: "", conversation: "", from: "", to: "", limit: "100" };

/** Actions the server records (docs/protocol.md), offered in the filter; any other can be typed. */
export const AUDIT_ACTIONS = [
  "login", "login_failed", "login_locked", "logout", "password_changed", "totp_enrolled", "totp_reset",
  "claim", "release", "transfer", "accept", "take_over", "close", "block", "urgent", "monitor",
  "purge", "retention", "export", "follow_up",
  "user_create", "user_change", "settings_change", "schedule_change",
] as const;

const path = (id: string, action: string) => `/api/console/conversations/${encodeURIComponent(id)}/${action}`;

/** The query string of a filter: empty fields are left out. */
export function auditQuery(f: AuditFilter): string {
  const q = new URLSearchParams();
  for (const key of ["actor", "action", "conversation", "from", "to", "limit"] as const) {
    const v = f[key].trim();
    if (v) q.set(key, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export async function auditLog(api: ConsoleApi, f: AuditFilter): Promise<AuditEntry[]> {
  return (await api.call<Answer<"/api/console/audit">>(`/api/console/audit${auditQuery(f)}`)).items;
}

/** Deletes the conversation's text now; its tab stays, marked as deleted. */
export async function purgeNow(model: ConsoleModel, id: string): Promise<PurgeResult> {
  const e = model.convs.get(id);
  if (e) e.closedByMe = true;
  const res = await model.api.op("post", "/api/console/conversations/{conversation_id}/purge", { params: { conversation_id: id } });
  model.purged(id);
  return res;
}

/** Fetches the transcript (the server logs the export) and saves it through a temporary link. */
export async function exportTranscript(api: ConsoleApi, id: string): Promise<void> {
  const { blob, filename } = await api.download(path(id, "export"));
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename ?? `lykta-transcript-${id.slice(0, 8)}.txt`;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
