/** The supervisor's overview, kept fresh: every ~10 s, and soon after queue/conversation/presence frames. */

import type { Conversation, ConvState } from "../shared/protocol";
import type { ConsoleApi } from "./api";
import type { ConsoleModel } from "./model";
import type { Supervision } from "./types";

const EVERY_MS = 10_000;
const NUDGE_MS = 300;
export const NUDGING_FRAMES: ReadonlySet<string> = new Set(["queue", "conversation", "presence"]);

export class SupervisionFeed {
  data: Supervision | null = null;
  /** When the data was asked for (client clock): the ticking waits count from here. */
  at = 0;
  failed = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private soon: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly api: ConsoleApi,
    private readonly onData: (data: Supervision | null, askedAt: number) => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.fetch();
    if (!this.timer) this.timer = setInterval(() => void this.fetch(), EVERY_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
  }

  /** Something changed: fetch shortly (several frames in a burst make one request). */
  nudge(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.fetch();
    }, NUDGE_MS);
  }

  async fetch(): Promise<void> {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    const asked = Date.now();
    try {
      this.data = await this.api.supervision();
      this.at = asked;
      this.failed = false;
    } catch {
      this.failed = true;
    } finally {
      this.inFlight = false;
    }
    if (!this.stopped) this.onData(this.data, this.at);
    if (this.again) {
      this.again = false;
      void this.fetch();
    }
  }
}

/** What syncMonitored reads of the overview: its active chats (as the socket's conversations) and who waits. */
interface Overview {
  active: Conversation[];
  waiting: { conversation_id: string }[];
}

/** Monitored tabs learn from the overview what the socket does not tell a monitor (state, holder). */
export function syncMonitored(model: ConsoleModel, data: Overview, askedAt: number): void {
  let changed = false;
  for (const [id, since] of model.monitored) {
    const e = model.convs.get(id);
    // An overview asked for before the monitoring began may not know the chat yet.
    if (!e?.monitoring || askedAt < since) continue;
    const active = data.active.find((c) => c.conversation_id === id);
    const waiting = data.waiting.some((c) => c.conversation_id === id);
    const gone: ConvState = e.conv.state === "abandoned" ? "abandoned" : "closed";
    const state: ConvState = active ? "active" : waiting ? "waiting" : gone;
    const next = active ? { ...active } : { ...e.conv, state, counselor_id: waiting ? null : e.conv.counselor_id };
    if (next.state !== e.conv.state || next.counselor_id !== e.conv.counselor_id) changed = true;
    e.conv = next;
    if (next.state !== "active") e.peerTyping = false;
  }
  if (changed) model.refresh();
}
