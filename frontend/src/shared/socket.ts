/**
 * Reconnecting client for the Lykta sockets (visitor and console). It owns the outbox of
 * unacknowledged sends, the per-conversation message logs and last_seq, the heartbeat and the
 * reconnect backoff; pages handle every other frame through `subscribe`.
 */

import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import { MessageLog, type PendingMessage } from "./messages";
import type { Author, MessageFrame, PageFrame, SendFrame, ServerFrame } from "./protocol";

export type Status = "connecting" | "open" | "reconnecting" | "closed";

/** The part of the WebSocket API used here; browsers' and the `ws` package's classes fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface OutboxItem {
  conversation_id: string;
  frame: SendFrame;
}
export interface OutboxStore {
  load(): OutboxItem[];
  save(items: OutboxItem[]): void;
}

export interface ClientOptions {
  backoff?: Partial<BackoffOptions>;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** A connection that stayed open this long resets the backoff. */
  stableAfterMs?: number;
  /** Delay before resending the outbox after a rate_limited/server_error frame. */
  retryAfterMs?: number;
  random?: () => number;
  outboxStore?: OutboxStore;
  /**
   * Who this client writes as. With it, an `ack` (which the server sends instead of echoing the message
   * to the socket that sent it) puts the own message into the log as the echo would have.
   */
  author?: Author;
  /** The alias own messages carry (a counselor's; a visitor has none). */
  alias?: string | null;
}

/** What a client tells its listeners; F is the frames its socket's server sends (src/api/frames.ts). */
export type ClientEvent<F extends ServerFrame = ServerFrame> =
  | { type: "status"; status: Status }
  | { type: "frame"; frame: PageFrame<F> }
  | { type: "message"; message: MessageFrame }
  | { type: "ack"; client_id: string; seq: number; conversation_id: string | null }
  | { type: "outbox" }
  | { type: "scheduled"; attempt: number; delayMs: number }
  | { type: "closed"; code: number; reason: string };

/** Close codes after which reconnecting would not help (end, bad frames, policy, too large). */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1003, 1008, 1009]);
const RETRY_ERRORS: ReadonlySet<string> = new Set(["rate_limited", "server_error", "unavailable"]);
const OPEN = 1;

type Hello<F extends ServerFrame> = (client: ProtocolClient<F>) => object;

export class ProtocolClient<F extends ServerFrame = ServerFrame> {
  private readonly opts: Required<Omit<ClientOptions, "outboxStore" | "backoff" | "author" | "alias">> & {
    backoff: BackoffOptions;
  };
  private readonly store: OutboxStore | undefined;
  private readonly self: { author: Author; alias: string | null } | null;
  private ws: WebSocketLike | null = null;
  private status_: Status = "connecting";
  private everOpened = false;
  private stopped = false;
  private attempt = 0;
  private openedAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly logs = new Map<string, MessageLog>();
  private readonly outbox_ = new Map<string, OutboxItem>();
  private readonly acked = new Map<string, { item: OutboxItem; seq: number }>();
  private readonly listeners = new Set<(ev: ClientEvent<F>) => void>();
  closeInfo: { code: number; reason: string } | null = null;

  constructor(
    private readonly url: string,
    private readonly hello: Hello<F>,
    private readonly WS: WebSocketCtor = globalThis.WebSocket as unknown as WebSocketCtor,
    options: ClientOptions = {},
  ) {
    this.opts = {
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
      stableAfterMs: options.stableAfterMs ?? 10_000,
      retryAfterMs: options.retryAfterMs ?? 5_000,
      random: options.random ?? Math.random,
    };
    this.store = options.outboxStore;
    this.self = options.author ? { author: options.author, alias: options.alias ?? null } : null;
    for (const item of this.store?.load() ?? [])
      if (typeof item?.frame?.client_id === "string" && typeof item.frame.body === "string")
        this.outbox_.set(item.frame.client_id, item);
  }

  get status(): Status {
    return this.status_;
  }

  subscribe(listener: (ev: ClientEvent<F>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connect(): void {
    if (this.ws || this.stopped || this.reconnectTimer) return;
    this.open();
  }

  /** Stops for good (sign-out, leave, end); no reconnect follows. */
  close(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      detach(ws);
      try {
        ws.close(1000);
      } catch {
        /* already closing */
      }
    }
    this.setStatus("closed");
  }

  /** Queues a `send` frame in the outbox and transmits it when possible; kept until its ack. */
  send(frame: SendFrame, conversationId: string): void {
    const item = { conversation_id: conversationId, frame };
    this.outbox_.set(frame.client_id, item);
    this.saveOutbox();
    this.transmit(frame);
    this.emit({ type: "outbox" });
  }

  /** Sends a frame that is only useful now (typing, read, end); false when not connected. */
  sendNow(frame: object): boolean {
    return this.transmit(frame);
  }

  /** Forgets unsent messages (e.g. the conversation ended), of one conversation or all. */
  clearOutbox(conversationId?: string): void {
    const match = (item: OutboxItem) => conversationId === undefined || item.conversation_id === conversationId;
    for (const [key, item] of this.outbox_) if (match(item)) this.outbox_.delete(key);
    for (const [key, { item }] of this.acked) if (match(item)) this.acked.delete(key);
    this.saveOutbox();
    this.emit({ type: "outbox" });
  }

  lastSeq(conversationId: string): number {
    return this.logs.get(conversationId)?.lastSeq ?? 0;
  }

  lastSeqs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, log] of this.logs) if (log.lastSeq > 0) out[id] = log.lastSeq;
    return out;
  }

  messages(conversationId: string): readonly MessageFrame[] {
    return this.logs.get(conversationId)?.messages ?? [];
  }

  forget(conversationId: string): void {
    this.logs.delete(conversationId);
  }

  outbox(): OutboxItem[] {
    return [...this.outbox_.values()];
  }

  /** Whether a send of this conversation still waits for its ack. */
  sending(conversationId: string): boolean {
    for (const item of this.outbox_.values()) if (item.conversation_id === conversationId) return true;
    return false;
  }

  /**
   * Resolves once no send of this conversation waits for its ack (acked, or dropped by clearOutbox), or
   * after timeoutMs, whichever comes first; true when they all settled.
   */
  settled(conversationId: string, timeoutMs: number): Promise<boolean> {
    if (!this.sending(conversationId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const unsubscribe = this.subscribe((ev) => {
        if ((ev.type === "outbox" || ev.type === "ack") && !this.sending(conversationId)) done(true);
        else if (ev.type === "closed" || (ev.type === "status" && ev.status === "closed")) done(false);
      });
    });
  }

  /** Own messages of a conversation not yet in its log: unacked (seq null) or acked. */
  pending(conversationId: string): PendingMessage[] {
    const out: PendingMessage[] = [];
    for (const { item, seq } of this.acked.values())
      if (item.conversation_id === conversationId)
        out.push({ client_id: item.frame.client_id, body: item.frame.body, seq });
    for (const item of this.outbox_.values())
      if (item.conversation_id === conversationId)
        out.push({ client_id: item.frame.client_id, body: item.frame.body, seq: null });
    return out;
  }

  private open(): void {
    let ws: WebSocketLike;
    try {
      ws = new this.WS(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.openedAt = Date.now();
      this.everOpened = true;
      ws.send(JSON.stringify(this.hello(this)));
      for (const item of this.outbox_.values()) ws.send(JSON.stringify(item.frame));
      this.startHeartbeat();
      this.setStatus("open");
    };
    ws.onmessage = (ev) => {
      if (this.ws === ws) this.receive(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.dropped(ev.code, ev.reason);
    };
    ws.onerror = () => {
      /* a close event follows */
    };
  }

  private dropped(code: number, reason: string): void {
    this.ws = null;
    this.stopHeartbeat();
    if (this.openedAt && Date.now() - this.openedAt >= this.opts.stableAfterMs) this.attempt = 0;
    this.openedAt = 0;
    if (this.stopped) return this.setStatus("closed");
    if (FINAL_CLOSE_CODES.has(code)) {
      this.stopped = true;
      this.closeInfo = { code, reason };
      this.setStatus("closed");
      this.emit({ type: "closed", code, reason });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delayMs = backoffDelay(this.attempt, this.opts.backoff, this.opts.random);
    const attempt = this.attempt++;
    this.setStatus(this.everOpened ? "reconnecting" : "connecting");
    this.emit({ type: "scheduled", attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.open();
    }, delayMs);
  }

  private receive(data: unknown): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = null;
    if (typeof data !== "string") return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!isFrame(frame)) return;
    if (frame.type === "pong") return;
    if (frame.type === "message") {
      if (isMessage(frame)) this.addMessage(frame);
      return;
    }
    if (frame.type === "ack") {
      const clientId = frame.client_id;
      const seq = frame.seq;
      if (typeof clientId !== "string" || typeof seq !== "number") return;
      const item = this.outbox_.get(clientId);
      if (item) {
        this.outbox_.delete(clientId);
        this.saveOutbox();
        this.acknowledged(item, seq, frame.at);
      }
      const conversationId = typeof frame.conversation_id === "string" ? frame.conversation_id : null;
      this.emit({ type: "ack", client_id: clientId, seq, conversation_id: conversationId });
      return;
    }
    if (frame.type === "error" && RETRY_ERRORS.has(String(frame.code))) this.retrySoon();
    // The server sends only its catalogue's frames (app/realtime/events.py); they are not checked again here.
    this.emit({ type: "frame", frame: frame as unknown as PageFrame<F> });
  }

  /** A send refused for now (rate limit, server hiccup) is tried again later on the same socket. */
  private retrySoon(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      for (const item of this.outbox_.values()) this.transmit(item.frame);
    }, this.opts.retryAfterMs);
  }

  /**
   * An own send is stored: into the log as the message the server no longer echoes to this socket, or,
   * without `at` or knowing who writes here, kept as acked until the message itself comes.
   */
  private acknowledged(item: OutboxItem, seq: number, at: unknown): void {
    const { conversation_id, frame } = item;
    if (this.logs.get(conversation_id)?.hasClientId(frame.client_id)) return;
    if (!this.self || typeof at !== "string") {
      this.acked.set(frame.client_id, { item, seq });
      return;
    }
    const { author, alias } = this.self;
    const { body, client_id } = frame;
    this.addMessage({ type: "message", conversation_id, seq, author, alias, body, client_id, at }, true);
  }

  private addMessage(message: MessageFrame, fromAck = false): void {
    const id = message.conversation_id;
    let log = this.logs.get(id);
    if (!log) this.logs.set(id, (log = new MessageLog()));
    if (message.client_id) this.acked.delete(message.client_id);
    if (log.add(message, fromAck)) this.emit({ type: "message", message });
  }

  private transmit(frame: object): boolean {
    const ws = this.ws;
    if (!ws || this.status_ !== "open" || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (!this.transmit({ type: "ping" })) return;
      if (!this.deadTimer) this.deadTimer = setTimeout(() => this.dead(), this.opts.pongTimeoutMs);
    }, this.opts.pingIntervalMs);
  }

  private stopHeartbeat(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.pingTimer = null;
    this.deadTimer = null;
  }

  /** No frame came back after a ping: drop the socket without waiting for a close handshake. */
  private dead(): void {
    this.deadTimer = null;
    const ws = this.ws;
    if (!ws) return;
    detach(ws);
    try {
      ws.close(4000, "heartbeat timeout");
    } catch {
      /* ignore */
    }
    this.dropped(1006, "heartbeat timeout");
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.reconnectTimer = null;
    this.retryTimer = null;
    this.stopHeartbeat();
  }

  private saveOutbox(): void {
    this.store?.save(this.outbox());
  }

  private setStatus(status: Status): void {
    if (status === this.status_) return;
    this.status_ = status;
    this.emit({ type: "status", status });
  }

  private emit(ev: ClientEvent<F>): void {
    for (const listener of [...this.listeners]) listener(ev);
  }
}

function detach(ws: WebSocketLike): void {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  // Keep an error handler: the ws package throws on an unhandled "error" event.
  ws.onerror = () => undefined;
}

function isFrame(v: unknown): v is { type: string } & Record<string, unknown> {
  return typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";
}

function isMessage(f: Record<string, unknown>): f is MessageFrame & Record<string, unknown> {
  return (
    typeof f.seq === "number" &&
    typeof f.body === "string" &&
    typeof f.author === "string" &&
    typeof f.conversation_id === "string"
  );
}

/** ws:// or wss:// URL for a path on this page's origin. */
export function socketUrl(path: string, loc: Location = location): string {
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}${path}`;
}
