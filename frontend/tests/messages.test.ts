import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/shared/backoff";
import { isClientId, newClientId } from "../src/shared/clientId";
import { buildView, MessageLog } from "../src/shared/messages";
import type { MessageFrame } from "../src/shared/protocol";

const msg = (seq: number, author: MessageFrame["author"] = "counselor", client_id: string | null = null): MessageFrame => ({
  type: "message",
  conversation_id: "c",
  seq,
  author,
  alias: author === "counselor" ? "Sara" : null,
  body: `m${seq}`,
  client_id,
  at: "2026-11-23T15:00:00Z",
});

describe("MessageLog", () => {
  it("keeps messages ordered by seq and drops a seq it already holds", () => {
    const log = new MessageLog();
    expect(log.add(msg(2))).toBe(true);
    expect(log.add(msg(1))).toBe(true);
    expect(log.add(msg(3))).toBe(true);
    expect(log.add(msg(2))).toBe(false);
    expect(log.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(log.lastSeq).toBe(3);
  });
  it("reports 0 as last seq when empty", () => {
    expect(new MessageLog().lastSeq).toBe(0);
  });
  it("resumes before a missing seq that an own ack overtook, and after it once it came", () => {
    const log = new MessageLog();
    log.add(msg(1));
    log.add(msg(3, "visitor", "v-3"), true); // my ack, stored in one batch after the counselor's seq 2
    expect(log.lastSeq).toBe(1);
    log.add(msg(2));
    expect(log.lastSeq).toBe(3);
    log.add(msg(5, "visitor", "v-5"), true);
    expect(log.lastSeq).toBe(3);
  });
  it("never resumes from an ack alone when lower seqs were not seen", () => {
    const log = new MessageLog();
    log.add(msg(2, "visitor", "v-2"), true);
    expect(log.lastSeq).toBe(0);
    log.add(msg(1));
    expect(log.lastSeq).toBe(2);
  });
  it("counts from the first delivered message when the log starts past seq 1", () => {
    const log = new MessageLog();
    log.add(msg(5));
    log.add(msg(6, "visitor", "v-6"), true);
    log.add(msg(8));
    expect(log.lastSeq).toBe(6);
  });
});

describe("buildView", () => {
  it("marks own messages sending, delivered and seen, and hides pending already in the log", () => {
    const messages = [msg(1, "visitor", "v-a"), msg(2), msg(3, "visitor", "v-b")];
    const pending = [
      { client_id: "v-b", body: "m3", seq: 3 },
      { client_id: "v-c", body: "later", seq: null },
    ];
    const view = buildView(messages, pending, "visitor", 1);
    expect(view.map((v) => [v.seq, v.author, v.mark])).toEqual([
      [1, "visitor", "seen"],
      [2, "counselor", null],
      [3, "visitor", "delivered"],
      [null, "visitor", "sending"],
    ]);
  });
  it("shows an acked message not yet received as delivered", () => {
    const view = buildView([], [{ client_id: "v-z", body: "x", seq: 4 }], "visitor", 0);
    expect(view[0]).toMatchObject({ seq: 4, mark: "delivered", own: true });
  });
});

describe("backoffDelay", () => {
  const opts = { baseMs: 500, factor: 2, maxMs: 15_000, jitter: 0.5 };
  it("doubles from the base and stops at the cap", () => {
    const d = [0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, opts, () => 0));
    expect(d).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
  it("takes off at most the jitter fraction", () => {
    expect(backoffDelay(2, opts, () => 0.999999)).toBe(1000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(8, opts);
      expect(d).toBeGreaterThanOrEqual(7500);
      expect(d).toBeLessThanOrEqual(15000);
    }
  });
});

describe("client ids", () => {
  it("match the protocol pattern and differ", () => {
    const a = newClientId("v");
    const b = newClientId("v");
    expect(isClientId(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a.startsWith("v-")).toBe(true);
  });
});
