/** Console state over the console socket: presence, queue, the conversations held, read and typing. */

import { ApiError, type ConsoleApi } from "../shared/api";
import { newClientId } from "../shared/clientId";
import { buildView, type ViewMessage } from "../shared/messages";
import type { ConsoleFrame, Conversation, Counselor, MessageFrame, Presence, QueueItem } from "../shared/protocol";
import { ProtocolClient, socketUrl, type Status, type WebSocketCtor } from "../shared/socket";

const TYPING_IDLE_MS = 4000;
const PEER_TYPING_MAX_MS = 15000;
const CLAIM_LOST_MS = 8000;
const MAX_HELLO_ENTRIES = 200;
/** Conversation frames this soon after (re)connecting are the hello replay, not news. */
const HELLO_SETTLE_MS = 3000;

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
}

export type Alert = "message" | "queue";

export class ConsoleModel {
  readonly client: ProtocolClient;
  presence: Presence;
  queue: QueueItem[] = [];
  queueAt = Date.now();
  readonly convs = new Map<string, ConvEntry>();
  focused: string | null = null;
  readonly claimLost = new Map<string, number>();
  private knownQueue: Set<string> | null = null;
  private openSince = 0;
  private typingOn = new Set<string>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private peerTypingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly me: Counselor,
    private readonly api: ConsoleApi,
    private readonly onChange: () => void,
    private readonly onAlert: (kind: Alert) => void,
    private readonly onFatal: (code: number) => void,
    WS?: WebSocketCtor,
  ) {
    this.presence = me.presence;
    this.client = new ProtocolClient(socketUrl("/ws/console"), () => this.hello(), WS);
    this.client.subscribe((ev) => {
      if (ev.type === "frame") this.onFrame(ev.frame as unknown as ConsoleFrame);
      else if (ev.type === "message") this.onMessage(ev.message);
      else if (ev.type === "closed") this.onFatal(ev.code);
      else if (ev.type === "status") this.openSince = ev.status === "open" ? Date.now() : 0;
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
    return buildView(this.client.messages(id), this.client.pending(id), "counselor", e?.peerReadSeq ?? 0);
  }

  unread(id: string): number {
    const e = this.convs.get(id);
    if (!e) return 0;
    return this.client.messages(id).filter((m) => m.author === "visitor" && m.seq > e.readSeq).length;
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
    let max = 0;
    for (const m of this.client.messages(id)) if (m.author === "visitor" && m.seq > max) max = m.seq;
    if (max <= e.readSeq) return;
    if (this.client.sendNow({ type: "read", conversation_id: id, seq: max })) {
      e.readSeq = max;
      this.onChange();
    }
  }

  send(id: string, body: string): void {
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

  async release(id: string): Promise<void> {
    await this.guard(id, async () => {
      await this.api.release(id);
      this.remove(id);
    });
  }

  async close(id: string): Promise<void> {
    const e = this.convs.get(id);
    // Set before the request: the server's frame may arrive before the response.
    if (e) e.closedByMe = true;
    await this.guard(id, async () => {
      try {
        this.upsert(await this.api.close(id));
      } catch (err) {
        if (e) e.closedByMe = false;
        throw err;
      }
      this.client.clearOutbox(id);
    });
  }

  /** Drops a tab (after release, or when a closed chat is dismissed). */
  remove(id: string): void {
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

  private upsert(conv: Conversation): void {
    const id = conv.conversation_id;
    const mine = conv.counselor_id === null || conv.counselor_id === this.me.id;
    const e = this.convs.get(id);
    if (conv.state === "waiting" || (conv.state === "active" && !mine)) {
      if (e) this.remove(id);
      return;
    }
    if (e) {
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
    });
    if (!this.focused) this.focused = id;
  }

  /** A change pushed by the server: alert on a chat handed to me or ended by the visitor. */
  private fromServer(conv: Conversation): void {
    const before = this.convs.get(conv.conversation_id)?.conv.state;
    this.upsert(conv);
    const e = this.convs.get(conv.conversation_id);
    if (!e || before === conv.state) return;
    const settled = this.openSince > 0 && Date.now() - this.openSince > HELLO_SETTLE_MS;
    if (before === undefined && conv.state === "active" && settled) this.onAlert("message");
    if (before === "active" && conv.state !== "active" && !e.closedByMe) this.onAlert("message");
  }

  private onMessage(m: MessageFrame): void {
    const e = this.convs.get(m.conversation_id);
    if (!e || m.author !== "visitor") return;
    this.setPeerTyping(e, false);
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
        this.fromServer(frame.conversation);
        break;
      case "state": {
        const e = this.convs.get(frame.conversation_id);
        if (e) this.fromServer({ ...e.conv, state: frame.state });
        break;
      }
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
      case "error":
        break;
    }
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
