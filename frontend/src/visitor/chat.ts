/** The visitor's live conversation: socket, waiting room, counselor alias, typing and read marks. */

import { newClientId } from "../shared/clientId";
import { buildView, type ViewMessage } from "../shared/messages";
import type { Alternative, ConvState, MessageFrame, VisitorFrame, VisitorServerFrame } from "../shared/protocol";
import { ProtocolClient, socketUrl, type Status, type WebSocketCtor } from "../shared/socket";
import { outboxStore, type EndReason, type VisitorSession } from "./session";

const TYPING_IDLE_MS = 4000;
const PEER_TYPING_MAX_MS = 15000;
const END_GRACE_MS = 10000;

export class VisitorChat {
  readonly client: ProtocolClient<VisitorServerFrame>;
  state: ConvState | null = null;
  alias: string | null = null;
  queue: { position: number; estimated_wait_s: number | null } | null = null;
  peerTyping = false;
  peerReadSeq = 0;
  /** The schedule closed the service (a `service` frame with open false); null while open. */
  serviceClosed: { next_opening: string | null; alternatives: Alternative[] } | null = null;
  private readSent = 0;
  private typingOn = false;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private peerTypingTimer: ReturnType<typeof setTimeout> | null = null;
  private endPending = false;
  private finished = false;

  constructor(
    private readonly session: VisitorSession,
    private readonly onChange: () => void,
    private readonly onEnded: (reason: EndReason) => void,
    WS?: WebSocketCtor,
  ) {
    const id = session.conversation_id;
    this.client = new ProtocolClient<VisitorServerFrame>(
      socketUrl("/ws/visitor"),
      (c) => ({ type: "hello", token: session.token, conversation_id: id, last_seq: c.lastSeq(id) }),
      WS,
      { outboxStore, author: "visitor", alias: null },
    );
    this.client.subscribe((ev) => {
      if (ev.type === "frame") this.onFrame(ev.frame);
      else if (ev.type === "message") this.onMessage(ev.message);
      else if (ev.type === "status" && ev.status === "open" && this.endPending && this.sendEnd()) this.shutdown();
      else if (ev.type === "closed") this.finish(ev.code === 1000 ? "closed" : "expired");
      this.onChange();
    });
  }

  start(): void {
    this.client.connect();
  }

  get status(): Status {
    return this.client.status;
  }

  view(): ViewMessage[] {
    const id = this.session.conversation_id;
    return buildView(this.client.messages(id), this.client.pending(id), "visitor", this.peerReadSeq);
  }

  send(body: string): void {
    this.setTyping(false);
    this.client.send({ type: "send", client_id: newClientId("v"), body }, this.session.conversation_id);
  }

  /** Called on every edit of the message box: typing on, and off after a pause or when emptied. */
  composing(value: string): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    if (!value.trim()) return this.setTyping(false);
    this.setTyping(true);
    this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_IDLE_MS);
  }

  setTyping(on: boolean): void {
    if (!on && this.typingTimer) clearTimeout(this.typingTimer);
    if (on === this.typingOn) return;
    if (this.client.sendNow({ type: "typing", on })) this.typingOn = on;
    else if (!on) this.typingOn = false;
  }

  /** Tells the counselor what has been seen; call when the page is visible. */
  markRead(): void {
    let max = 0;
    for (const m of this.client.messages(this.session.conversation_id))
      if (m.author !== "visitor" && m.seq > max) max = m.seq;
    if (max > this.readSent && this.client.sendNow({ type: "read", seq: max })) this.readSent = max;
  }

  /**
   * Ends the chat. If the socket is down, unsent messages and then the end go out as soon as
   * it is back (the outbox is resent before this end), for a short grace period.
   */
  end(): void {
    this.setTyping(false);
    if (!this.sendEnd()) {
      this.endPending = true;
      setTimeout(() => this.shutdown(), END_GRACE_MS);
    }
    this.finish("closed");
  }

  /** Stops when the view goes away, unless an end is still to be sent. */
  dispose(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    if (this.peerTypingTimer) clearTimeout(this.peerTypingTimer);
    if (!this.endPending) this.shutdown();
  }

  private shutdown(): void {
    this.endPending = false;
    this.client.clearOutbox();
    this.client.close();
  }

  private sendEnd(): boolean {
    if (!this.client.sendNow({ type: "end" })) return false;
    this.endPending = false;
    return true;
  }

  private finish(reason: EndReason): void {
    if (this.finished) return;
    this.finished = true;
    this.onEnded(reason);
  }

  private onMessage(m: MessageFrame): void {
    if (m.author === "counselor") {
      if (m.alias) this.alias = m.alias;
      this.setPeerTyping(false);
    }
  }

  private onFrame(frame: VisitorFrame): void {
    switch (frame.type) {
      case "state":
        this.state = frame.state;
        if (frame.counselor_alias) this.alias = frame.counselor_alias;
        if (frame.state === "active") this.queue = null;
        if (frame.state === "closed" || frame.state === "abandoned") {
          this.client.clearOutbox();
          this.finish(frame.state);
        }
        break;
      case "queue":
        this.queue = { position: frame.position, estimated_wait_s: frame.estimated_wait_s };
        break;
      case "service":
        this.serviceClosed = frame.open
          ? null
          : { next_opening: frame.next_opening ?? null, alternatives: Array.isArray(frame.alternatives) ? frame.alternatives : [] };
        break;
      case "typing":
        if (frame.author === "counselor") this.setPeerTyping(frame.on);
        break;
      case "read":
        if (frame.author === "counselor") this.peerReadSeq = Math.max(this.peerReadSeq, frame.seq);
        break;
      case "error":
        if (frame.code === "conversation_closed") this.finish("closed");
        if (frame.code === "invalid_token") this.finish("expired");
        break;
    }
  }

  private setPeerTyping(on: boolean): void {
    this.peerTyping = on;
    if (this.peerTypingTimer) clearTimeout(this.peerTypingTimer);
    this.peerTypingTimer = on
      ? setTimeout(() => {
          this.peerTyping = false;
          this.onChange();
        }, PEER_TYPING_MAX_MS)
      : null;
  }
}
