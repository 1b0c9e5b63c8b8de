import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { WebSocketCtor } from "../src/shared/socket";
import { VisitorChat } from "../src/visitor/chat";
import { FakeLykta } from "./fakeLykta";

const WS = WebSocket as unknown as WebSocketCtor;

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let server: FakeLykta;
let chat: VisitorChat | null = null;
const ALTERNATIVES = [{ name: { sv: "Socialjouren", en: "Out-of-hours social services" }, phone: "08-123 45 67" }];

beforeEach(async () => {
  server = new FakeLykta();
  const url = new URL(await server.start());
  // The visitor page builds its socket URL from location: point it at the fake.
  (globalThis as { location?: unknown }).location = { protocol: "http:", host: url.host };
});
afterEach(async () => {
  chat?.dispose();
  chat = null;
  await server.stop();
});

function start(): VisitorChat {
  const session = { conversation_id: server.conversationId, token: server.token, follow_up_code: "ABC" };
  chat = new VisitorChat(session, () => undefined, () => undefined, WS);
  chat.start();
  return chat;
}

describe("VisitorChat own messages", () => {
  it("shows a sent message from its ack as the visitor's, stored at the ack's time", async () => {
    const c = start();
    await waitFor(() => c.state === "active", "active state");
    server.counselorSays("Hej, jag heter Sara.");
    await waitFor(() => c.view().length === 1, "counselor line");
    c.send("hej");
    await waitFor(() => c.view()[1]?.mark === "delivered", "ack");
    expect(c.view().map((m) => [m.seq, m.author, m.alias, m.body, m.at, m.own])).toEqual([
      [1, "counselor", "Sara", "Hej, jag heter Sara.", "2026-12-02T08:00:01.123456Z", false],
      [2, "visitor", null, "hej", "2026-12-02T08:00:02.123456Z", true],
    ]);
    expect(c.client.lastSeq(server.conversationId)).toBe(2);
  });
});

describe("VisitorChat and the service frame", () => {
  it("keeps that the service closed while waiting, with the next opening and alternatives", async () => {
    server.helloState = "waiting";
    const c = start();
    await waitFor(() => c.state === "waiting", "waiting state");
    expect(c.serviceClosed).toBeNull();
    server.push({ type: "service", open: false, next_opening: "2026-11-24T17:00:00Z", alternatives: ALTERNATIVES });
    await waitFor(() => c.serviceClosed !== null, "service closed");
    expect(c.serviceClosed).toEqual({ next_opening: "2026-11-24T17:00:00Z", alternatives: ALTERNATIVES });
    expect(c.state).toBe("waiting"); // the chat itself goes on
    server.push({ type: "service", open: true, next_opening: null });
    await waitFor(() => c.serviceClosed === null, "service open again");
  });

  it("tolerates a service frame without alternatives", async () => {
    server.helloState = "waiting";
    const c = start();
    await waitFor(() => c.state === "waiting", "waiting state");
    server.push({ type: "service", open: false, next_opening: null });
    await waitFor(() => c.serviceClosed !== null, "service closed");
    expect(c.serviceClosed).toEqual({ next_opening: null, alternatives: [] });
  });

  it("shows system lines as neither own nor marked", async () => {
    const c = start();
    await waitFor(() => c.state === "active", "active state");
    server.systemSays("Du är tillbaka i kön.");
    await waitFor(() => c.view().length === 1, "system line");
    const [line] = c.view();
    expect(line).toMatchObject({ author: "system", body: "Du är tillbaka i kön.", own: false, mark: null });
  });
});
