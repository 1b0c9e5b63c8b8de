/** Console state over the console socket: presence, queue, chats held or monitored, notes, read, typing. */

import { ApiError } from "../shared/api";
import { newClientId } from "../shared/clientId";
import { buildView, type ViewMessage } from "../shared/messages";
import type {
  ConsoleFrame,
  ConsoleServerFrame,
  Conversation,
  MessageFrame,
  Note,
  Presence,
  QueueItem,
} from "../shared/protocol";
import { ProtocolClient, socketUrl, type Status, type WebSocketCtor } from "../shared/socket";
import type { ConsoleApi } from "./api";
import type { Counselor } from "./types";

const TYPING_IDLE_MS = 4000;
const PEER_TYPING_MAX_MS = 15000;
const CLAIM_LOST_MS = 8000;
const MOVED_MS = 15000;
const MAX_HELLO_ENTRIES = 200;
/** Conversation frames this soon after (re)connecting are the hello replay, not news. */
const HELLO_SETTLE_MS = 3000;
/** How long release, transfer and close wait for the chat's unacknowledged sends before going ahead. */
const SENDS_SETTLE_MS = 4000;

export interface ConvEntry {
  conv: Conversation;
  /** Messages up to this seq were already there when the conversation frame came (no alerts). */
  knownSeq: number;
  peerTyping: boolean;
  peerReadSeq: number;
  readSeq: number;
  closedByMe: boolean;
  draft: string;
  error: boolean;
  /** A supervisor follows it read-only (the `monitor` frame). */
  monitoring: boolean;
  /** Internal notes, once loaded (null: not yet). */
  notes: Note[] | null;
  /** Notes and whispers that came in since the pane was last seen. */
  newNotes: number;
  /** Its text was deleted (purge now): the tab stays, empty, until dismissed. */
  purged?: boolean;
}

export type Alert = "message" | "queue";

export class ConsoleModel {
  readonly client: ProtocolClient<ConsoleServerFrame>;
  presence: Presence;
  queue: QueueItem[] = [];
  queueAt = Date.now();
  readonly convs = new Map<string, ConvEntry>();
  focused: string | null = null;
  readonly claimLost = new Map<string, number>();
  /** Chats taken from me (taken over, offer timed out, back to the queue): alias of the new holder. */
  readonly moved = new Map<string, string | null>();
  private lettingGo = new Set<string>();
  /** Conversations this supervisor monitors, and since when (resent after a reconnect). */
  readonly monitored = new Map<string, number>();
  private focusWhenShown: string | null = null;
  private knownQueue: Set<string> | null = null;
  private openSince = 0;
  private typingOn = new Set<string>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private peerTypingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** See SENDS_SETTLE_MS (tests shorten it). */
  sendsSettleMs = SENDS_SETTLE_MS;

  constructor(
    readonly me: Counselor,
    readonly api: ConsoleApi,
    private readonly onChange: () => void,
    private readonly onAlert: (kind: Alert) => void,
    private readonly onFatal: (code: number) => void,
    WS?: WebSocketCtor,
  ) {
    this.presence = me.presence;
    this.client = new ProtocolClient<ConsoleServerFrame>(socketUrl("/ws/console"), () => this.hello(), WS, {
      author: "counselor",
      alias: me.alias,
    });
    this.client.subscribe((ev) => {
      if (ev.type === "frame") this.onFrame(ev.frame);
      else if (ev.type === "message") this.onMessage(ev.message);
      else if (ev.type === "closed") this.onFatal(ev.code);
      else if (ev.type === "status") this.onStatus(ev.status);
      this.onChange();
    });
  }

  start(): void {
    this.client.connect();
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.typingTimers.values()) clearTimeout(t);
    for (const t of this.peerTypingTimers.values()) clearTimeout(t);
    this.client.close();
  }

  get status(): Status {
    return this.client.status;
  }

  tabs(): ConvEntry[] {
    return [...this.convs.values()];
  }

  view(id: string): ViewMessage[] {
    const e = this.convs.get(id);
    if (e?.purged) return [];
    const view = buildView(this.client.messages(id), this.client.pending(id), "counselor", e?.peerReadSeq ?? 0);
    return e?.monitoring ? view.map((m) => ({ ...m, own: false, mark: null })) : view;
  }

  unread(id: string): number {
    const e = this.convs.get(id);
    if (!e) return 0;
    return this.client.messages(id).filter((m) => m.author === "visitor" && m.seq > e.readSeq).length;
  }

  refresh(): void {
    this.onChange();
  }

  focus(id: string | null): void {
    this.focused = id;
    this.onChange();
  }

  /** Marks the focused conversation read up to its last visitor message; call when visible. */
  markRead(): void {
    const id = this.focused;
    const e = id ? this.convs.get(id) : undefined;
    if (!id || !e) return;
    if (e.newNotes) {
      e.newNotes = 0;
      this.onChange();
    }
    let max = 0;
    for (const m of this.client.messages(id)) if (m.author === "visitor" && m.seq > max) max = m.seq;
    if (max <= e.readSeq) return;
    // A monitor only reads along: the visitor's read marks belong to the counselor who holds the chat.
    if (e.monitoring || e.conv.state !== "active") {
      e.readSeq = max;
      this.onChange();
    } else if (this.client.sendNow({ type: "read", conversation_id: id, seq: max })) {
      e.readSeq = max;
      this.onChange();
    }
  }

  send(id: string, body: string): void {
    if (this.convs.get(id)?.monitoring) return;
    this.setTyping(id, false);
    this.client.send({ type: "send", conversation_id: id, client_id: newClientId("c"), body }, id);
  }

  composing(id: string, value: string): void {
    const e = this.convs.get(id);
    if (e) e.draft = value;
    const old = this.typingTimers.get(id);
    if (old) clearTimeout(old);
    if (!value.trim()) return this.setTyping(id, false);
    this.setTyping(id, true);
    this.typingTimers.set(id, setTimeout(() => this.setTyping(id, false), TYPING_IDLE_MS));
  }

  setTyping(id: string, on: boolean): void {
    if (on === this.typingOn.has(id)) return;
    const sent = this.client.sendNow({ type: "typing", conversation_id: id, on });
    if (on && sent) this.typingOn.add(id);
    if (!on) this.typingOn.delete(id);
  }

  async setPresence(status: Presence): Promise<void> {
    const res = await this.api.setPresence(status);
    this.presence = res.status;
    this.onChange();
  }

  async claim(id: string): Promise<void> {
    try {
      const conv = await this.api.claim(id);
      this.upsert(conv);
      this.focus(conv.conversation_id);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 409) throw err;
      this.claimLost.set(id, Date.now());
      this.later(() => this.claimLost.delete(id), CLAIM_LOST_MS);
      this.onChange();
    }
  }

  /** I hand this chat on myself (release, transfer): its tab goes without a "moved" notice. */
  letGo(id: string): void {
    this.lettingGo.add(id);
    this.later(() => this.lettingGo.delete(id), MOVED_MS);
  }

  /**
   * Waits (at most sendsSettleMs) until every message written in this chat is acknowledged, i.e. stored,
   * so that my last words are kept before the chat leaves me (release, transfer, close).
   */
  async sendsStored(id: string): Promise<void> {
    await this.client.settled(id, this.sendsSettleMs);
  }

  async release(id: string): Promise<void> {
    this.letGo(id);
    await this.sendsStored(id);
    await this.guard(id, async () => {
      await this.api.release(id);
      this.remove(id);
    });
  }

  /** Ends a chat I hold (close with an optional wrap-up, or block); the outcome shows in its tab. */
  async end(id: string, request: () => Promise<Conversation>): Promise<void> {
    await this.sendsStored(id);
    const e = this.convs.get(id);
    // Set before the request: the server's frame may arrive before the response.
    if (e) e.closedByMe = true;
    try {
      this.upsert(await request());
    } catch (err) {
      if (e) e.closedByMe = false;
      throw err;
    }
    this.client.clearOutbox(id);
  }

  /** Follows a conversation read-only; its tab opens (and is focused) when the server answers. */
  monitor(id: string): void {
    this.monitored.set(id, Date.now());
    this.focusWhenShown = id;
    if (this.convs.has(id)) this.focus(id);
    this.client.sendNow({ type: "monitor", conversation_id: id, on: true });
  }

  stopMonitor(id: string): void {
    if (this.convs.get(id)?.monitoring) this.remove(id);
  }

  /** The server deleted the conversation: forget its text, keep the tab to say so. */
  purged(id: string): void {
    const e = this.convs.get(id);
    this.client.forget(id);
    this.client.clearOutbox(id);
    if (!e) return this.onChange();
    const open = e.conv.state === "active" || e.conv.state === "waiting";
    Object.assign(e, { purged: true, notes: [], newNotes: 0, draft: "", peerTyping: false, monitoring: false });
    e.conv = { ...e.conv, state: open ? "closed" : e.conv.state, accept_by: null };
    this.monitored.delete(id);
    this.onChange();
  }

  /** Drops a tab (after release, or when a closed chat is dismissed). */
  remove(id: string): void {
    if (this.monitored.delete(id)) this.client.sendNow({ type: "monitor", conversation_id: id, on: false });
    this.convs.delete(id);
    this.client.forget(id);
    if (this.focused === id) this.focused = this.convs.keys().next().value ?? null;
    this.onChange();
  }

  private async guard(id: string, action: () => Promise<void>): Promise<void> {
    const e = this.convs.get(id);
    if (e) e.error = false;
    try {
      await action();
    } catch (err) {
      if (e) e.error = true;
      this.onChange();
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
  }

  private hello(): object {
    const last_seq: Record<string, number> = {};
    let n = 0;
    for (const [id, seq] of Object.entries(this.client.lastSeqs())) {
      if (!this.convs.has(id) || n++ >= MAX_HELLO_ENTRIES) continue;
      last_seq[id] = seq;
    }
    return { type: "hello", last_seq };
  }

  /** Takes in a conversation as the server now has it (a response or a frame). */
  upsert(conv: Conversation, monitoring = false): void {
    const id = conv.conversation_id;
    const mine = conv.counselor_id === null || conv.counselor_id === this.me.id;
    const e = this.convs.get(id);
    const watching = monitoring || (this.monitored.has(id) && e?.monitoring !== false);
    if (!watching && (conv.state === "waiting" || (conv.state === "active" && !mine))) {
      if (e && !e.monitoring && e.conv.state === "active" && !this.lettingGo.has(id)) {
        this.moved.set(id, conv.state === "active" ? conv.counselor_alias : null);
        this.later(() => this.moved.delete(id), MOVED_MS);
      }
      if (e) this.remove(id);
      return;
    }
    if (e) {
      // Taken over (or claimed) while monitoring: now it is an ordinary held chat.
      if (conv.state === "active" && conv.counselor_id === this.me.id) {
        e.monitoring = false;
        this.monitored.delete(id);
      } else if (watching) e.monitoring = true;
      e.conv = conv;
      e.knownSeq = Math.max(e.knownSeq, conv.last_seq);
      if (conv.state !== "active") e.peerTyping = false;
      return;
    }
    this.convs.set(id, {
      conv,
      knownSeq: conv.last_seq,
      peerTyping: false,
      peerReadSeq: 0,
      readSeq: 0,
      closedByMe: false,
      draft: "",
      error: false,
      monitoring: watching && !(conv.state === "active" && conv.counselor_id === this.me.id),
      notes: null,
      newNotes: 0,
    });
    if (!this.focused || this.focusWhenShown === id) this.focused = id;
    if (this.focusWhenShown === id) this.focusWhenShown = null;
  }

  /** A change pushed by the server: alert on a chat handed to me or ended by the visitor. */
  private fromServer(conv: Conversation, monitoring = false): void {
    const before = this.convs.get(conv.conversation_id)?.conv.state;
    this.upsert(conv, monitoring);
    const e = this.convs.get(conv.conversation_id);
    if (!e || e.monitoring || before === conv.state) return;
    const settled = this.openSince > 0 && Date.now() - this.openSince > HELLO_SETTLE_MS;
    if (before === undefined && conv.state === "active" && settled) this.onAlert("message");
    if (before === "active" && conv.state !== "active" && !e.closedByMe) this.onAlert("message");
  }

  private onMessage(m: MessageFrame): void {
    const e = this.convs.get(m.conversation_id);
    if (!e || m.author !== "visitor") return;
    this.setPeerTyping(e, false);
    if (e.monitoring) return;
    const focusedAndSeen = this.focused === m.conversation_id && document.visibilityState === "visible";
    if (m.seq > e.knownSeq && !focusedAndSeen) this.onAlert("message");
  }

  private onFrame(frame: ConsoleFrame): void {
    switch (frame.type) {
      case "presence":
        this.presence = frame.status;
        break;
      case "queue": {
        this.queue = frame.items;
        this.queueAt = Date.now();
        const ids = new Set(frame.items.map((i) => i.conversation_id));
        const fresh = this.knownQueue !== null && frame.items.some((i) => !this.knownQueue?.has(i.conversation_id));
        this.knownQueue = ids;
        if (fresh) this.onAlert("queue");
        break;
      }
      case "conversation":
        this.fromServer(frame.conversation, frame.monitoring === true);
        break;
      case "note":
        this.addNoteTo(frame.conversation_id, frame.note, true);
        break;
      case "typing": {
        const e = this.convs.get(frame.conversation_id);
        if (e && frame.author === "visitor") this.setPeerTyping(e, frame.on);
        break;
      }
      case "read": {
        const e = this.convs.get(frame.conversation_id);
        if (e && frame.author === "visitor") e.peerReadSeq = Math.max(e.peerReadSeq, frame.seq);
        break;
      }
      case "purged":
        this.purged(frame.conversation_id);
        break;
      case "error":
        break;
    }
  }

  private onStatus(status: Status): void {
    this.openSince = status === "open" ? Date.now() : 0;
    if (status !== "open") return;
    // The server forgets what a socket monitored: ask again (it replays; the log dedupes).
    for (const id of this.monitored.keys()) this.client.sendNow({ type: "monitor", conversation_id: id, on: true });
  }

  addNoteTo(id: string, note: Note, live: boolean): void {
    const e = this.convs.get(id);
    if (!e) return;
    if (e.notes?.some((n) => n.id === note.id)) return;
    e.notes = [...(e.notes ?? []), note];
    const mine = note.author_id === this.me.id;
    if (live && !mine) {
      const seen = this.focused === id && document.visibilityState === "visible";
      if (!seen) e.newNotes++;
      if (note.kind === "whisper" || !seen) this.onAlert("message");
    }
    this.onChange();
  }

  private setPeerTyping(e: ConvEntry, on: boolean): void {
    const id = e.conv.conversation_id;
    e.peerTyping = on;
    const old = this.peerTypingTimers.get(id);
    if (old) clearTimeout(old);
    this.peerTypingTimers.delete(id);
    if (!on) return;
    const timer = setTimeout(() => {
      this.peerTypingTimers.delete(id);
      e.peerTyping = false;
      this.onChange();
    }, PEER_TYPING_MAX_MS);
    this.peerTypingTimers.set(id, timer);
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
