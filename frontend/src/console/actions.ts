/** What a counselor or supervisor does to a conversation over HTTP; the model takes in the result. */

import type { ConsoleModel } from "./model";
import type { WrapUp } from "./types";

export function closeChat(model: ConsoleModel, id: string, wrapUp?: WrapUp): Promise<void> {
  return model.end(id, () => model.api.close(id, wrapUp));
}

/** Ends the chat and keeps its source out for a while (server default when hours is not given). */
export function blockChat(model: ConsoleModel, id: string, hours?: number): Promise<void> {
  return model.end(id, () => model.api.block(id, hours));
}

/** To a colleague (the tab goes once it is theirs) or, with `to` null, back to the queue. */
export async function transferChat(model: ConsoleModel, id: string, to: number | null, note: string): Promise<void> {
  model.setTyping(id, false);
  model.letGo(id);
  await model.sendsStored(id);
  model.upsert(await model.api.transfer(id, to, note.trim() || undefined));
  model.refresh();
}

export async function acceptChat(model: ConsoleModel, id: string): Promise<void> {
  model.upsert(await model.api.accept(id));
  model.refresh();
}

export async function flagUrgent(model: ConsoleModel, id: string, urgent: boolean): Promise<void> {
  await model.api.setUrgent(id, urgent);
  const item = model.queue.find((i) => i.conversation_id === id);
  if (item) item.urgent = urgent;
  model.refresh();
}

/** A supervisor takes a waiting or active chat, whoever holds it; its tab opens focused. */
export async function takeOver(model: ConsoleModel, id: string): Promise<void> {
  const conv = await model.api.takeOver(id);
  // No `monitor off` here: the server may already follow it as mine, and off would unfollow it.
  model.upsert(conv);
  model.focus(conv.conversation_id);
}

export async function loadNotes(model: ConsoleModel, id: string): Promise<void> {
  const notes = await model.api.notes(id);
  const e = model.convs.get(id);
  if (!e) return;
  for (const n of e.notes ?? []) if (!notes.some((x) => x.id === n.id)) notes.push(n);
  e.notes = notes.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
  model.refresh();
}

export async function addNote(model: ConsoleModel, id: string, body: string, kind: "note" | "whisper"): Promise<void> {
  model.addNoteTo(id, await model.api.addNote(id, body, kind), false);
}
