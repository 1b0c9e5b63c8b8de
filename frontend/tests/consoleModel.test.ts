import { beforeEach, describe, expect, it } from "vitest";
import { closeChat, takeOver, transferChat } from "../src/console/actions";
import { syncMonitored } from "../src/console/supervision";
import type { ConsoleApi } from "../src/console/api";
import { ConsoleModel, type Alert } from "../src/console/model";
import type { Conversation, Note } from "../src/shared/protocol";
import type { Counselor } from "../src/console/types";
import type { WebSocketLike } from "../src/shared/socket";

/** A socket the test drives: frames in with receive(), frames out recorded in sent. */
class StubSocket implements WebSocketLike {
  static all: StubSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    StubSocket.all.push(this);
    setTimeout(() => {
      this.readyState = 1;
      this.onopen?.({});
    }, 0);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: "" });
  }
  ofType(type: string): Record<string, unknown>[] {
    return this.sent.filter((f) => f.type === type);
  }
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const LEA: Counselor = {
  id: 7,
  username: "lea",
  display_name: "Lea",
  alias: "Lea",
  role: "supervisor",
  presence: "available",
  capacity: 3,
  totp_enabled: false,
};
const ID = "11111111-2222-3333-4444-555555555555";

function conv(patch: Partial<Conversation> = {}): Conversation {
  return {
    conversation_id: ID,
    state: "active",
    counselor_id: 3,
    counselor_alias: "Sara",
    language: "sv",
    age_band: null,
    topic: null,
    link_label: null,
    created_at: "2026-11-23T15:00:00Z",
    claimed_at: "2026-11-23T15:01:00Z",
    closed_at: null,
    last_seq: 0,
    accept_by: null,
    ...patch,
  };
}

function message(seq: number, author: "visitor" | "counselor", body: string) {
  return { type: "message", conversation_id: ID, seq, author, alias: author === "counselor" ? "Sara" : null, body, client_id: null, at: "2026-11-23T15:02:00Z" };
}

function note(id: number, kind: Note["kind"], authorId: number): Note {
  return { id, conversation_id: ID, kind, body: `note ${id}`, author_alias: "Sara", author_id: authorId, created_at: `2026-11-23T15:0${id}:00Z` };
}

let alerts: Alert[];
let api: Partial<Record<keyof ConsoleApi, unknown>>;

async function connected(): Promise<{ model: ConsoleModel; socket: StubSocket }> {
  alerts = [];
  const model = new ConsoleModel(LEA, api as unknown as ConsoleApi, () => undefined, (a) => alerts.push(a), () => undefined, StubSocket);
  model.start();
  await waitFor(() => model.status === "open", "open");
  const socket = StubSocket.all[StubSocket.all.length - 1] as StubSocket;
  socket.receive({ type: "presence", status: "available" });
  socket.receive({ type: "queue", items: [] });
  return { model, socket };
}

beforeEach(() => {
  StubSocket.all = [];
  api = {};
  (globalThis as { location?: unknown }).location = { protocol: "http:", host: "127.0.0.1:1" };
  (globalThis as { document?: unknown }).document = { visibilityState: "visible" };
});

describe("ConsoleModel monitoring", () => {
  it("opens a read-only, focused tab that never writes or marks read", async () => {
    const { model, socket } = await connected();
    model.monitor(ID);
    expect(socket.ofType("monitor")).toEqual([{ type: "monitor", conversation_id: ID, on: true }]);
    socket.receive({ type: "conversation", conversation: conv(), monitoring: true });
    socket.receive(message(1, "visitor", "hej"));
    socket.receive(message(2, "counselor", "hej hej"));
    const entry = model.convs.get(ID);
    expect(entry?.monitoring).toBe(true);
    expect(model.focused).toBe(ID);
    expect(model.view(ID).map((m) => [m.author, m.body, m.mark])).toEqual([
      ["visitor", "hej", null],
      ["counselor", "hej hej", null],
    ]);
    model.send(ID, "I should not be able to");
    model.markRead();
    expect(socket.ofType("send")).toEqual([]);
    expect(socket.ofType("read")).toEqual([]);
    expect(model.unread(ID)).toBe(0);
    expect(alerts).toEqual([]);
    model.dispose();
  });

  it("asks again after a reconnect, and stops on request", async () => {
    const { model, socket } = await connected();
    model.monitor(ID);
    socket.receive({ type: "conversation", conversation: conv(), monitoring: true });
    socket.drop();
    await waitFor(() => StubSocket.all.length === 2 && model.status === "open", "reconnected");
    const again = StubSocket.all[1] as StubSocket;
    expect(again.ofType("monitor")).toEqual([{ type: "monitor", conversation_id: ID, on: true }]);
    model.stopMonitor(ID);
    expect(again.ofType("monitor").pop()).toEqual({ type: "monitor", conversation_id: ID, on: false });
    expect(model.convs.has(ID)).toBe(false);
    model.dispose();
  });

  it("becomes an ordinary held chat on take-over, without a monitor-off", async () => {
    api.takeOver = async () => conv({ counselor_id: LEA.id, counselor_alias: "Lea" });
    const { model, socket } = await connected();
    model.monitor(ID);
    socket.receive({ type: "conversation", conversation: conv(), monitoring: true });
    await takeOver(model, ID);
    const entry = model.convs.get(ID);
    expect(entry?.monitoring).toBe(false);
    expect(model.monitored.has(ID)).toBe(false);
    expect(socket.ofType("monitor")).toHaveLength(1);
    model.send(ID, "Hej, det är Lea.");
    expect(socket.ofType("send")).toHaveLength(1);
    model.dispose();
  });

  it("learns from the overview that a monitored chat moved on or ended", async () => {
    const { model, socket } = await connected();
    const before = Date.now() - 1000;
    model.monitor(ID);
    socket.receive({ type: "conversation", conversation: conv(), monitoring: true });
    const empty = { waiting: [], active: [], counselors: [] };
    syncMonitored(model, empty, before); // asked for before the monitoring began: ignored
    expect(model.convs.get(ID)?.conv.state).toBe("active");
    const withKim = { ...conv({ counselor_alias: "Kim", counselor_id: 4 }), last_activity_at: null };
    syncMonitored(model, { ...empty, active: [withKim] }, Date.now());
    expect(model.convs.get(ID)?.conv.counselor_alias).toBe("Kim");
    syncMonitored(model, empty, Date.now());
    expect(model.convs.get(ID)?.conv.state).toBe("closed");
    model.dispose();
  });
});

describe("ConsoleModel own messages and their acks", () => {
  const ack = (clientId: string, seq: number) => ({
    type: "ack",
    conversation_id: ID,
    client_id: clientId,
    seq,
    at: "2026-12-02T08:00:00.123456Z",
  });

  it("shows my message from its ack with my alias, seq and time, and a second tab's from the message", async () => {
    const { model, socket } = await connected();
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id, counselor_alias: "Lea" }) });
    socket.receive(message(1, "visitor", "hej"));
    model.send(ID, "Hej, det är Lea.");
    const [sent] = socket.ofType("send");
    expect(model.view(ID).map((m) => [m.seq, m.mark])).toEqual([
      [1, null],
      [null, "sending"],
    ]);
    socket.receive(ack(String(sent?.client_id), 2));
    expect(model.view(ID)[1]).toMatchObject({ seq: 2, author: "counselor", alias: "Lea", body: "Hej, det är Lea.", at: "2026-12-02T08:00:00.123456Z", own: true, mark: "delivered" });
    // Written in my other tab: it comes as a message and shows as mine too.
    socket.receive({ ...message(3, "counselor", "från andra fliken"), alias: "Lea", client_id: "c-other" });
    // The replay after a reconnect brings my message again: still once.
    socket.receive({ ...message(2, "counselor", "Hej, det är Lea."), alias: "Lea", client_id: sent?.client_id });
    expect(model.view(ID).map((m) => [m.seq, m.body, m.own])).toEqual([
      [1, "hej", false],
      [2, "Hej, det är Lea.", true],
      [3, "från andra fliken", true],
    ]);
    expect(model.client.lastSeq(ID)).toBe(3);
    model.dispose();
  });

  it("releases only once my last message is stored", async () => {
    const calls: string[] = [];
    api.release = async (id: string) => {
      calls.push(`release ${id}`);
      return conv({ state: "waiting", counselor_id: null });
    };
    const { model, socket } = await connected();
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id }) });
    model.send(ID, "Jag lämnar över dig nu.");
    const released = model.release(ID);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
    socket.receive(ack(String(socket.ofType("send")[0]?.client_id), 1));
    await released;
    expect(calls).toEqual([`release ${ID}`]);
    model.dispose();
  });

  it("closes and transfers after my sends are acknowledged, or after the wait runs out", async () => {
    const calls: string[] = [];
    api.close = async () => {
      calls.push("close");
      return conv({ counselor_id: LEA.id, state: "closed" });
    };
    api.transfer = async () => {
      calls.push("transfer");
      return conv({ state: "waiting", counselor_id: null });
    };
    const { model, socket } = await connected();
    model.sendsSettleMs = 400;
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id }) });
    socket.receive({ type: "conversation", conversation: conv({ conversation_id: "b", counselor_id: LEA.id }) });
    model.send(ID, "Tack för idag.");
    model.send("b", "Jag ger dig till en kollega.");
    const started = Date.now();
    const closing = closeChat(model, ID);
    const transferring = transferChat(model, "b", null, "");
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual([]);
    const [first] = socket.ofType("send");
    socket.receive(ack(String(first?.client_id), 1));
    await closing;
    expect(calls).toEqual(["close"]);
    // Chat b's send is never acknowledged: the transfer goes ahead once the wait runs out.
    await transferring;
    expect(calls).toEqual(["close", "transfer"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    model.dispose();
  });

  it("gives up waiting after sendsSettleMs when no ack comes", async () => {
    const calls: string[] = [];
    api.release = async () => {
      calls.push("release");
      return conv({ state: "waiting", counselor_id: null });
    };
    const { model, socket } = await connected();
    model.sendsSettleMs = 100;
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id }) });
    model.send(ID, "ingen ack");
    const started = Date.now();
    await model.release(ID);
    expect(calls).toEqual(["release"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    model.dispose();
  });
});

describe("ConsoleModel held chats and notes", () => {
  it("drops the tab when the chat is transferred to a colleague", async () => {
    const { model, socket } = await connected();
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id }) });
    expect(model.convs.has(ID)).toBe(true);
    model.letGo(ID); // my own transfer: no notice
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: 4, accept_by: "2026-11-23T15:10:00Z", transfer_from_id: LEA.id }) });
    expect(model.convs.has(ID)).toBe(false);
    expect(model.moved.size).toBe(0);
    model.dispose();
  });

  it("says where a chat went when it was taken from me", async () => {
    const { model, socket } = await connected();
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id }) });
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: 9, counselor_alias: "Bo" }) });
    expect(model.convs.has(ID)).toBe(false);
    expect(model.moved.get(ID)).toBe("Bo");
    socket.receive({ type: "conversation", conversation: conv({ conversation_id: "b", counselor_id: LEA.id }) });
    socket.receive({ type: "conversation", conversation: conv({ conversation_id: "b", state: "waiting", counselor_id: null }) });
    expect(model.moved.get("b")).toBeNull();
    model.dispose();
  });

  it("keeps an offered chat (accept_by set) as mine", async () => {
    const { model, socket } = await connected();
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id, accept_by: "2026-11-23T15:10:00Z", transfer_from_id: 3 }) });
    expect(model.convs.get(ID)?.conv.accept_by).toBe("2026-11-23T15:10:00Z");
    model.dispose();
  });

  it("adds live notes once, counts them while unseen and alerts on whispers", async () => {
    const { model, socket } = await connected();
    socket.receive({ type: "conversation", conversation: conv({ counselor_id: LEA.id }) });
    socket.receive({ type: "conversation", conversation: conv({ conversation_id: "other", counselor_id: LEA.id }) });
    model.focus("other");
    socket.receive({ type: "note", conversation_id: ID, note: note(1, "whisper", 9) });
    socket.receive({ type: "note", conversation_id: ID, note: note(1, "whisper", 9) });
    socket.receive({ type: "note", conversation_id: ID, note: note(2, "note", LEA.id) });
    const entry = model.convs.get(ID);
    expect(entry?.notes?.map((n) => n.id)).toEqual([1, 2]);
    expect(entry?.newNotes).toBe(1); // my own note is not news
    expect(alerts).toEqual(["message"]);
    model.focus(ID);
    model.markRead();
    expect(entry?.newNotes).toBe(0);
    model.dispose();
  });
});
