/** The visitor's mailbox API (app/mailbox/visitor_routes.py): the code travels in request bodies only. */

import { followUp, requestJson, ApiError } from "../../shared/api";
import type { AgeBand, StartedConversation, Topic } from "../../shared/protocol";

export interface MailboxOffer {
  enabled: boolean;
  offered: boolean;
  reason: "closed" | "long_wait" | null;
  answer_weekdays: number;
  keep_days: number;
}

export interface LetterSent {
  code: string;
  answer_weekdays: number;
  keep_days: number;
}

export interface ThreadEntry {
  author: "visitor" | "counselor";
  alias: string | null;
  body: string;
  at: string;
}

export interface MailboxThread {
  state: "waiting" | "claimed" | "answered" | "closed";
  entries: ThreadEntry[];
  can_write: boolean;
  open: boolean;
  next_opening: string | null;
  answer_weekdays: number;
  keep_days: number;
}

export interface Letter {
  body: string;
  link_code?: string;
  language?: string;
  age_band?: AgeBand;
  topic?: Topic;
}

export function getOffer(): Promise<MailboxOffer> {
  return requestJson("/api/visitor/mailbox");
}

export function writeLetter(letter: Letter): Promise<LetterSent> {
  return requestJson("/api/visitor/mailbox", { method: "POST", body: letter });
}

export function readThread(code: string): Promise<MailboxThread> {
  return requestJson("/api/visitor/mailbox/thread", { method: "POST", body: { code } });
}

export function writeBack(code: string, body: string): Promise<MailboxThread> {
  return requestJson("/api/visitor/mailbox/reply", { method: "POST", body: { code, body } });
}

export function threadToChat(code: string): Promise<StartedConversation> {
  return requestJson("/api/visitor/mailbox/chat", { method: "POST", body: { code } });
}

export type CodeResult = { kind: "thread"; code: string; thread: MailboxThread } | { kind: "chat"; started: StartedConversation };

/**
 * One code box for both kinds of code: a mailbox thread first, then (only while the chat is open, since
 * a chat can only be reopened then) an ended chat's follow-up code. Errors are the last request's.
 */
export async function redeemCode(code: string, open: boolean): Promise<CodeResult> {
  try {
    return { kind: "thread", code, thread: await readThread(code) };
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404) || !open) throw err;
  }
  return { kind: "chat", started: await followUp(code) };
}
