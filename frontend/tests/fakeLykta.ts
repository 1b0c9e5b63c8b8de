/**
 * A small fake of the Lykta visitor socket: real WebSocket server (ws package), protocol frames. Like the
 * real server, the socket that sends gets an `ack` with seq and at, not its own message; other sockets of
 * the conversation (a second tab) get the message.
 */

import { WebSocketServer, type WebSocket } from "ws";

export interface Stored {
  seq: number;
  author: "visitor" | "counselor" | "system";
  body: string;
  client_id: string | null;
  at: string;
}

type Frame = { type: string } & Record<string, unknown>;

export class FakeLykta {
  readonly conversationId = "11111111-2222-3333-4444-555555555555";
  readonly token = "good-token";
  readonly messages: Stored[] = [];
  /** Every frame received, per connection (index = connection number). */
  readonly received: Frame[][] = [];
  readonly sockets = new Set<WebSocket>();
  connections = 0;
  /** Receive `send` frames but do nothing with them (a message lost in flight). */
  swallowSends = false;
  /** Store `send` frames but neither fan them out nor ack (the drop came before the answer). */
  storeSilently = false;
  answerPings = true;
  /** Refuse this many `send` frames with an error frame rate_limited. */
  rateLimitSends = 0;
  /** Refuse this many `send` frames with an error frame unavailable (the database is away). */
  unavailableSends = 0;
  /** Close every new connection at once with this code (null: behave). */
  refuseWith: number | null = null;
  /** Replay from seq 0 regardless of last_seq (a sloppy server), to test client dedupe. */
  replayEverything = false;
  /** The state the hello reply announces. */
  helloState: "waiting" | "active" = "active";
  /** The next visitor send is stored in one batch after a counselor message with this body (see onSend). */
  private batchedCounselorBody: string | null = null;
  /** Counselor messages of such a batch not yet delivered (the sender's ack went out first). */
  private heldBack: Stored[] = [];
  private server!: WebSocketServer;

  async start(): Promise<string> {
    this.server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise<void>((resolve) => this.server.once("listening", () => resolve()));
    this.server.on("connection", (ws) => this.accept(ws));
    const addr = this.server.address();
    if (typeof addr === "string" || !addr) throw new Error("no address");
    return `ws://127.0.0.1:${addr.port}/ws/visitor`;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Abrupt drop, as when a network goes away: the client sees 1006. What was held back is lost in flight. */
  dropAll(): void {
    this.heldBack = [];
    for (const ws of this.sockets) ws.terminate();
  }

  /**
   * The next visitor send is stored in the same batch as a counselor message written just before it: the
   * counselor's gets the lower seq, yet the sender's ack goes out first; `deliverHeldBack` sends the
   * counselor's message after it (or a drop loses it in flight).
   */
  batchNextSendAfterCounselor(body: string): void {
    this.batchedCounselorBody = body;
  }

  deliverHeldBack(): void {
    for (const m of this.heldBack.splice(0)) this.broadcast(this.messageFrame(m));
  }

  closeAll(code: number): void {
    for (const ws of this.sockets) ws.close(code);
  }

  /** A counselor writes; fanned out to connected visitors. */
  counselorSays(body: string): Stored {
    const m = this.store("counselor", body, null);
    this.broadcast(this.messageFrame(m));
    return m;
  }

  /** Any frame to every connected visitor (e.g. `service`). */
  push(frame: Frame): void {
    this.broadcast(frame);
  }

  /** A system line, fanned out like a message. */
  systemSays(body: string): Stored {
    const m = this.store("system", body, null);
    this.broadcast(this.messageFrame(m));
    return m;
  }

  hellos(): Frame[] {
    return this.received.flat().filter((f) => f.type === "hello");
  }

  sends(): Frame[] {
    return this.received.flat().filter((f) => f.type === "send");
  }

  private accept(ws: WebSocket): void {
    const index = this.connections++;
    this.received[index] = [];
    if (this.refuseWith !== null) {
      ws.close(this.refuseWith);
      return;
    }
    this.sockets.add(ws);
    let greeted = false;
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.received[index]?.push(frame);
      if (frame.type === "ping") {
        if (this.answerPings) ws.send(JSON.stringify({ type: "pong" }));
        return;
      }
      if (!greeted) {
        if (frame.type !== "hello" || frame.token !== this.token) {
          ws.send(JSON.stringify({ type: "error", code: "invalid_token", detail: "bad token" }));
          ws.close(1008);
          return;
        }
        greeted = true;
        this.onHello(ws, Number(frame.last_seq ?? 0));
        return;
      }
      if (frame.type === "send") this.onSend(ws, frame);
      if (frame.type === "end") ws.close(1000);
    });
  }

  private onHello(ws: WebSocket, lastSeq: number): void {
    const alias = this.helloState === "active" ? "Sara" : null;
    ws.send(JSON.stringify({ type: "state", conversation_id: this.conversationId, state: this.helloState, counselor_alias: alias }));
    const from = this.replayEverything ? 0 : lastSeq;
    for (const m of this.messages) if (m.seq > from) ws.send(JSON.stringify(this.messageFrame(m)));
  }

  private onSend(ws: WebSocket, frame: Frame): void {
    if (this.swallowSends) return;
    if (this.rateLimitSends > 0) {
      this.rateLimitSends--;
      ws.send(JSON.stringify({ type: "error", code: "rate_limited", detail: "slow down" }));
      return;
    }
    if (this.unavailableSends > 0) {
      this.unavailableSends--;
      const refusal = { type: "error", code: "unavailable", detail: "database away", client_id: frame.client_id };
      ws.send(JSON.stringify({ ...refusal, retry_after: 2 }));
      return;
    }
    const clientId = String(frame.client_id);
    const existing = this.messages.find((m) => m.client_id === clientId);
    if (existing) {
      ws.send(JSON.stringify(this.ackFrame(existing)));
      return;
    }
    if (this.batchedCounselorBody !== null) {
      this.heldBack.push(this.store("counselor", this.batchedCounselorBody, null));
      this.batchedCounselorBody = null;
    }
    const m = this.store("visitor", String(frame.body), clientId);
    if (this.storeSilently) return;
    ws.send(JSON.stringify(this.ackFrame(m)));
    this.broadcast(this.messageFrame(m), ws);
  }

  private store(author: Stored["author"], body: string, clientId: string | null): Stored {
    const seq = this.messages.length + 1;
    const m = { seq, author, body, client_id: clientId, at: `2026-12-02T08:00:${String(seq).padStart(2, "0")}.123456Z` };
    this.messages.push(m);
    return m;
  }

  private broadcast(frame: object, except?: WebSocket): void {
    for (const ws of this.sockets) if (ws !== except) ws.send(JSON.stringify(frame));
  }

  private messageFrame(m: Stored): object {
    return {
      type: "message",
      conversation_id: this.conversationId,
      seq: m.seq,
      author: m.author,
      alias: m.author === "counselor" ? "Sara" : null,
      body: m.body,
      client_id: m.client_id,
      at: m.at,
    };
  }

  private ackFrame(m: Stored): object {
    return { type: "ack", conversation_id: this.conversationId, client_id: m.client_id, seq: m.seq, at: m.at };
  }
}
