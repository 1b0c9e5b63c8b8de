/** The visitor's mailbox API (app/mailbox/visitor_routes.py): the code travels in request bodies only. */

import { ApiError, followUp, requestApi, type Schema, type StartedConversation } from "../../shared/api";

export type MailboxOffer = Schema<"MailboxOfferPublic">;
export type LetterSent = Schema<"LetterSentPublic">;
export type ThreadEntry = Schema<"EntryPublic">;
export type MailboxThread = Schema<"ThreadPublic">;
export type Letter = Schema<"LetterIn">;

export function getOffer(): Promise<MailboxOffer> {
  return requestApi("get", "/api/visitor/mailbox");
}

export function writeLetter(letter: Letter): Promise<LetterSent> {
  return requestApi("post", "/api/visitor/mailbox", { body: letter });
}

export function readThread(code: string): Promise<MailboxThread> {
  return requestApi("post", "/api/visitor/mailbox/thread", { body: { code } });
}

export function writeBack(code: string, body: string): Promise<MailboxThread> {
  return requestApi("post", "/api/visitor/mailbox/reply", { body: { code, body } });
}

export function threadToChat(code: string): Promise<StartedConversation> {
  return requestApi("post", "/api/visitor/mailbox/chat", { body: { code } });
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
