import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { buildView } from "../src/shared/messages";
import { ProtocolClient, type ClientEvent, type ClientOptions, type WebSocketCtor } from "../src/shared/socket";
import { FakeLykta } from "./fakeLykta";

const WS = WebSocket as unknown as WebSocketCtor;
const FAST: ClientOptions = {
  backoff: { baseMs: 20, maxMs: 160, factor: 2, jitter: 0 },
  stableAfterMs: 150,
  random: () => 0,
  author: "visitor",
  alias: null,
};

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: FakeLykta;
let url: string;
let client: ProtocolClient | null = null;
let events: ClientEvent[];

function makeClient(options: ClientOptions = FAST, token?: string): ProtocolClient {
  events = [];
  const c = newClient(options, token);
  c.subscribe((ev) => events.push(ev));
  client = c;
  c.connect();
  return c;
}

function newClient(options: ClientOptions = FAST, token?: string): ProtocolClient {
  return new ProtocolClient(
    url,
    (self) => ({ type: "hello", token: token ?? server.token, last_seq: self.lastSeq(server.conversationId) }),
    WS,
    options,
  );
}

function send(c: ProtocolClient, body: string, clientId: string): void {
  c.send({ type: "send", client_id: clientId, body }, server.conversationId);
}

function view(c: ProtocolClient) {
  const id = server.conversationId;
  return buildView(c.messages(id), c.pending(id), "visitor", 0);
}

beforeEach(async () => {
  server = new FakeLykta();
  url = await server.start();
});
afterEach(async () => {
  client?.close();
  client = null;
  await server.stop();
});

describe("ProtocolClient against a fake Lykta", () => {
  it("sends hello first, then delivers a message once with its ack", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    send(c, "hej", "v-1");
    await waitFor(() => c.outbox().length === 0, "ack");
    expect(server.received[0]?.[0]).toMatchObject({ type: "hello", last_seq: 0 });
    expect(c.messages(server.conversationId).map((m) => m.client_id)).toEqual(["v-1"]);
    expect(view(c)).toHaveLength(1);
    expect(view(c)[0]).toMatchObject({ body: "hej", mark: "delivered", seq: 1 });
  });

  it("puts the own message into the log from its ack, with the ack's seq and at, as the echo would", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.counselorSays("hej, jag heter Sara");
    send(c, "hej", "v-1");
    await waitFor(() => c.outbox().length === 0, "ack");
    const own = {
      type: "message",
      conversation_id: server.conversationId,
      seq: 2,
      author: "visitor",
      alias: null,
      body: "hej",
      client_id: "v-1",
      at: "2026-12-02T08:00:02.123456Z",
    };
    expect(c.messages(server.conversationId)[1]).toEqual(own);
    expect(c.lastSeq(server.conversationId)).toBe(2);
    expect(c.pending(server.conversationId)).toEqual([]);
    expect(events.filter((e) => e.type === "message").map((e) => e.type === "message" && e.message)).toContainEqual(own);
    // The server sent no message frame back to this socket: the log has it from the ack alone.
    expect(events).toContainEqual({ type: "ack", client_id: "v-1", seq: 2, conversation_id: server.conversationId });
  });

  it("without knowing its author keeps an acked message as pending with its seq", async () => {
    const c = makeClient({ ...FAST, author: undefined });
    await waitFor(() => c.status === "open", "open");
    send(c, "hej", "v-1");
    await waitFor(() => c.outbox().length === 0, "ack");
    expect(c.messages(server.conversationId)).toEqual([]);
    expect(c.pending(server.conversationId)).toEqual([{ client_id: "v-1", body: "hej", seq: 1 }]);
    expect(view(c).map((m) => [m.body, m.mark])).toEqual([["hej", "delivered"]]);
  });

  it("gives a second tab of the same visitor the message while the sending tab has it from the ack", async () => {
    const c = makeClient();
    const second = newClient();
    try {
      second.connect();
      await waitFor(() => c.status === "open" && second.status === "open", "both open");
      send(c, "from the first tab", "v-tab");
      await waitFor(() => second.messages(server.conversationId).length === 1, "message in the second tab");
      await waitFor(() => c.outbox().length === 0, "ack in the first tab");
      const fromAck = c.messages(server.conversationId);
      const fromMessage = second.messages(server.conversationId);
      expect(fromAck).toEqual(fromMessage);
      expect(fromMessage[0]).toMatchObject({ seq: 1, author: "visitor", client_id: "v-tab", body: "from the first tab" });
      expect(second.outbox()).toEqual([]);
    } finally {
      second.close();
    }
  });

  it("does not resume past a message of the other side that its own ack overtook", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.counselorSays("first");
    await waitFor(() => c.lastSeq(server.conversationId) === 1, "first");
    // Seq 2 (the counselor's) and seq 3 (mine) are stored in one batch; my ack comes before seq 2.
    server.batchNextSendAfterCounselor("said at the same moment");
    send(c, "mine", "v-mine");
    await waitFor(() => c.outbox().length === 0, "ack");
    expect(c.messages(server.conversationId).map((m) => m.seq)).toEqual([1, 3]);
    expect(c.lastSeq(server.conversationId)).toBe(1);

    server.dropAll(); // seq 2 is lost in flight
    await waitFor(() => c.messages(server.conversationId).length === 3, "seq 2 after the resume");
    await sleep(30);
    expect(server.hellos().map((h) => h.last_seq)).toEqual([0, 1]);
    expect(c.messages(server.conversationId).map((m) => [m.seq, m.body])).toEqual([
      [1, "first"],
      [2, "said at the same moment"],
      [3, "mine"],
    ]);
    expect(c.lastSeq(server.conversationId)).toBe(3);
    // My message came again with the replay: still once in the log, the view and the events.
    expect(view(c)).toHaveLength(3);
    expect(events.filter((e) => e.type === "message")).toHaveLength(3);
  });

  it("keeps the held-back message of a batch in order when it comes after the ack", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.batchNextSendAfterCounselor("hej");
    send(c, "hallå", "v-h");
    await waitFor(() => c.outbox().length === 0, "ack");
    expect(c.lastSeq(server.conversationId)).toBe(0);
    server.deliverHeldBack();
    await waitFor(() => c.lastSeq(server.conversationId) === 2, "both held");
    expect(view(c).map((m) => [m.seq, m.author, m.body])).toEqual([
      [1, "counselor", "hej"],
      [2, "visitor", "hallå"],
    ]);
  });

  it("shows a message once when its ack came and a replay brings it again by client_id", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    send(c, "once", "v-once");
    await waitFor(() => c.outbox().length === 0, "ack");
    server.replayEverything = true;
    server.dropAll();
    await waitFor(() => server.hellos().length === 2 && c.status === "open", "resumed");
    await sleep(50);
    expect(server.received[1]?.filter((f) => f.type === "send")).toEqual([]);
    expect(c.messages(server.conversationId).map((m) => m.client_id)).toEqual(["v-once"]);
    expect(view(c).map((m) => [m.body, m.mark])).toEqual([["once", "delivered"]]);
    expect(events.filter((e) => e.type === "message")).toHaveLength(1);
  });

  it("resends an unacknowledged message after a drop with the same client_id, shown once", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.swallowSends = true;
    send(c, "are you there?", "v-abc");
    await waitFor(() => server.sends().length === 1, "first send to arrive");
    expect(view(c).map((m) => m.mark)).toEqual(["sending"]);

    server.swallowSends = false;
    server.dropAll();
    await waitFor(() => events.some((e) => e.type === "status" && e.status === "reconnecting"), "reconnecting");
    await waitFor(() => c.outbox().length === 0, "resend acked");

    const sends = server.sends();
    expect(sends.map((f) => f.client_id)).toEqual(["v-abc", "v-abc"]);
    // On the second connection the hello came before the resend.
    expect(server.received[1]?.map((f) => f.type).slice(0, 2)).toEqual(["hello", "send"]);
    expect(server.messages).toHaveLength(1);
    expect(view(c).map((m) => [m.body, m.mark])).toEqual([["are you there?", "delivered"]]);
  });

  it("does not double a message that was stored before the drop (replay + resend ack)", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.storeSilently = true;
    send(c, "stored but unanswered", "v-x");
    await waitFor(() => server.messages.length === 1, "stored");
    server.storeSilently = false;
    server.dropAll();
    await waitFor(() => c.outbox().length === 0 && c.messages(server.conversationId).length === 1, "replay+ack");
    await sleep(30);
    expect(server.sends().map((f) => f.client_id)).toEqual(["v-x", "v-x"]);
    expect(server.messages).toHaveLength(1);
    expect(view(c)).toHaveLength(1);
    expect(events.filter((e) => e.type === "message")).toHaveLength(1);
  });

  it("resumes with the right last_seq and gets missed messages once, in order", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.counselorSays("one");
    server.counselorSays("two");
    await waitFor(() => c.lastSeq(server.conversationId) === 2, "two messages");

    server.dropAll();
    await waitFor(() => events.some((e) => e.type === "status" && e.status === "reconnecting"), "reconnecting");
    // While the client is away the counselor writes three more.
    server.counselorSays("three");
    server.counselorSays("four");
    server.counselorSays("five");
    await waitFor(() => c.lastSeq(server.conversationId) === 5, "missed messages");

    expect(server.hellos().map((h) => h.last_seq)).toEqual([0, 2]);
    expect(c.messages(server.conversationId).map((m) => m.body)).toEqual(["one", "two", "three", "four", "five"]);
    expect(events.filter((e) => e.type === "message")).toHaveLength(5);
  });

  it("drops replayed duplicates and keeps order when a server replays too much", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.counselorSays("a");
    server.counselorSays("b");
    await waitFor(() => c.lastSeq(server.conversationId) === 2, "two");
    server.replayEverything = true;
    server.dropAll();
    await waitFor(() => server.hellos().length === 2, "second hello");
    server.counselorSays("c");
    await waitFor(() => c.lastSeq(server.conversationId) === 3, "third");
    await sleep(20);
    expect(c.messages(server.conversationId).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === "message")).toHaveLength(3);
  });

  it("grows the reconnect delay, caps it, and resets it after a connection that stayed up", async () => {
    server.refuseWith = 1011;
    const c = makeClient();
    await waitFor(() => events.filter((e) => e.type === "scheduled").length >= 6, "six attempts");
    const delays = () => events.flatMap((e) => (e.type === "scheduled" ? [e.delayMs] : []));
    expect(delays().slice(0, 6)).toEqual([20, 40, 80, 160, 160, 160]);
    expect(c.status).toBe("reconnecting");

    server.refuseWith = null;
    await waitFor(() => c.status === "open", "open");
    await sleep(200); // longer than stableAfterMs
    const before = delays().length;
    server.dropAll();
    await waitFor(() => delays().length > before, "next schedule");
    expect(delays()[before]).toBe(20);
    expect(c.status).not.toBe("closed");
  });

  it("does not reset the backoff after a connection that dropped at once", async () => {
    server.refuseWith = 1011;
    const c = makeClient();
    await waitFor(() => events.filter((e) => e.type === "scheduled").length >= 3, "three attempts");
    server.refuseWith = null;
    await waitFor(() => c.status === "open", "open");
    const n = events.filter((e) => e.type === "scheduled").length;
    server.dropAll();
    await waitFor(() => events.filter((e) => e.type === "scheduled").length > n, "reschedule");
    const last = events.filter((e) => e.type === "scheduled").at(-1);
    expect(last).toMatchObject({ delayMs: 160 });
  });

  it("stops after close 1008 (bad token) and surfaces it", async () => {
    const c = makeClient(FAST, "wrong-token");
    await waitFor(() => c.status === "closed", "closed");
    expect(c.closeInfo?.code).toBe(1008);
    expect(events).toContainEqual({ type: "closed", code: 1008, reason: "" });
    await sleep(250);
    expect(server.connections).toBe(1);
    expect(events.some((e) => e.type === "scheduled")).toBe(false);
  });

  it("stops after close 1000 (after end) but reconnects after 1012", async () => {
    const c = makeClient();
    await waitFor(() => c.status === "open", "open");
    server.closeAll(1012);
    await waitFor(() => server.connections === 2 && c.status === "open", "reconnected after 1012");
    c.sendNow({ type: "end" });
    await waitFor(() => c.status === "closed", "closed after end");
    expect(c.closeInfo?.code).toBe(1000);
    await sleep(150);
    expect(server.connections).toBe(2);
  });

  it("treats a socket that stops answering pings as dead and reconnects", async () => {
    server.answerPings = false;
    const c = makeClient({ ...FAST, pingIntervalMs: 40, pongTimeoutMs: 40 });
    await waitFor(() => server.connections >= 2, "reconnect after missing pong", 2000);
    expect(server.received[0]?.some((f) => f.type === "ping")).toBe(true);
    expect(c.status).not.toBe("closed");
  });

  it("keeps a socket whose pings are answered", async () => {
    const c = makeClient({ ...FAST, pingIntervalMs: 30, pongTimeoutMs: 30 });
    await sleep(300);
    expect(server.received[0]?.filter((f) => f.type === "ping").length).toBeGreaterThan(3);
    expect(server.connections).toBe(1);
    expect(c.status).toBe("open");
  });

  it("tries a rate-limited send again on the same connection, with the same client_id", async () => {
    server.rateLimitSends = 1;
    const c = makeClient({ ...FAST, retryAfterMs: 50 });
    await waitFor(() => c.status === "open", "open");
    send(c, "slow", "v-slow");
    await waitFor(() => c.outbox().length === 0, "ack after retry");
    expect(server.connections).toBe(1);
    expect(server.sends().map((f) => f.client_id)).toEqual(["v-slow", "v-slow"]);
    expect(server.messages).toHaveLength(1);
  });

  it("sends again what the server could not store while its database was away", async () => {
    server.unavailableSends = 2;
    const c = makeClient({ ...FAST, retryAfterMs: 50 });
    await waitFor(() => c.status === "open", "open");
    send(c, "kept through the outage", "v-db");
    await waitFor(() => c.outbox().length === 0, "ack after the database is back");
    expect(server.sends().map((f) => f.client_id)).toEqual(["v-db", "v-db", "v-db"]);
    expect(server.messages).toHaveLength(1);
  });

  it("keeps the outbox in a store so a reload can resend", async () => {
    let saved: unknown[] = [];
    const store = { load: () => [], save: (items: unknown[]) => void (saved = items) };
    server.swallowSends = true;
    const c = makeClient({ ...FAST, outboxStore: store });
    await waitFor(() => c.status === "open", "open");
    send(c, "kept", "v-keep");
    expect(saved).toHaveLength(1);
    c.close();

    server.swallowSends = false;
    const reloaded = makeClient({ ...FAST, outboxStore: { load: () => saved as never, save: store.save } });
    await waitFor(() => reloaded.outbox().length === 0, "ack after reload");
    expect(saved).toHaveLength(0);
    expect(server.sends().map((f) => f.client_id)).toEqual(["v-keep", "v-keep"]);
    expect(server.messages).toHaveLength(1);
  });
});
