/** What the visitor page keeps: only in this tab's sessionStorage, so closing the tab forgets it. */

import type { OutboxItem, OutboxStore } from "../shared/socket";

export type EndReason = "closed" | "abandoned" | "expired";

export interface VisitorSession {
  conversation_id: string;
  token: string;
  follow_up_code: string;
  ended?: EndReason;
}

const SESSION_KEY = "lykta.visitor";
const OUTBOX_KEY = "lykta.outbox";

function read<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage blocked or full: the chat still works for this page view */
  }
}

export function loadSession(): VisitorSession | null {
  const s = read<VisitorSession>(SESSION_KEY);
  return s && typeof s.token === "string" && typeof s.conversation_id === "string" ? s : null;
}

export function saveSession(session: VisitorSession): void {
  write(SESSION_KEY, session);
}

export function clearSession(): void {
  write(SESSION_KEY, null);
  write(OUTBOX_KEY, null);
}

/** Unacknowledged messages survive a reload of the tab (and nothing longer). */
export const outboxStore: OutboxStore = {
  load: () => read<OutboxItem[]>(OUTBOX_KEY) ?? [],
  save: (items) => write(OUTBOX_KEY, items.length ? items : null),
};

/** The link code: last non-empty segment of the path (/c/{code}). */
export function linkCode(pathname: string): string {
  const parts = pathname.split("/").filter(Boolean);
  const last = parts[parts.length - 1] ?? "";
  try {
    return decodeURIComponent(last).slice(0, 64);
  } catch {
    return "";
  }
}
