/** Per-conversation message log (ordered, deduplicated by seq) and the view model with send marks. */

import type { Author, MessageFrame, ResourceCardData } from "./protocol";

export class MessageLog {
  private items: MessageFrame[] = [];
  private seqs = new Set<number>();
  private clientIds = new Set<string>();
  /** Lowest seq a `message` frame brought (the server replays and delivers in order from there). */
  private firstDelivered = Infinity;

  /**
   * Adds a message; false when its seq is already held. Keeps the log ordered by seq. `fromAck`: built
   * from the ack of an own send, which may overtake lower seqs still on their way.
   */
  add(message: MessageFrame, fromAck = false): boolean {
    if (!fromAck) this.firstDelivered = Math.min(this.firstDelivered, message.seq);
    if (this.seqs.has(message.seq)) return false;
    this.seqs.add(message.seq);
    if (message.client_id) this.clientIds.add(message.client_id);
    let i = this.items.length;
    while (i > 0 && (this.items[i - 1] as MessageFrame).seq > message.seq) i--;
    this.items.splice(i, 0, message);
    return true;
  }

  /**
   * What a resume may ask to continue after (hello's last_seq): the highest seq up to which every seq is
   * held, counted from seq 1 or else from the first delivered message, never from an ack alone. An ack
   * that came before a lower seq of the other side therefore never makes a resume skip that seq.
   */
  get lastSeq(): number {
    const base = this.seqs.has(1) ? 1 : this.firstDelivered;
    if (!this.seqs.has(base)) return 0;
    let last = base;
    while (this.seqs.has(last + 1)) last++;
    return last;
  }

  hasClientId(clientId: string): boolean {
    return this.clientIds.has(clientId);
  }

  get messages(): readonly MessageFrame[] {
    return this.items;
  }
}

export type Mark = "sending" | "delivered" | "seen";

/** A message written here that the log does not hold yet: unsent/unacked (seq null) or acked (seq known). */
export interface PendingMessage {
  client_id: string;
  body: string;
  seq: number | null;
}

export interface ViewMessage {
  key: string;
  seq: number | null;
  author: Author;
  alias: string | null;
  body: string;
  at: string | null;
  own: boolean;
  mark: Mark | null;
  card?: ResourceCardData | null;
}

/**
 * Merges the log with pending sends. A pending item whose client_id the log already holds is
 * dropped, so a resent message shows once. Own messages get a mark: sending (no seq yet),
 * delivered (stored), seen (the other side read up to its seq).
 */
export function buildView(
  messages: readonly MessageFrame[],
  pending: readonly PendingMessage[],
  ownAuthor: Author,
  peerReadSeq: number,
): ViewMessage[] {
  const held = new Set<string>();
  const out: ViewMessage[] = [];
  const markFor = (seq: number | null): Mark =>
    seq === null ? "sending" : seq <= peerReadSeq ? "seen" : "delivered";
  for (const m of messages) {
    if (m.client_id) held.add(m.client_id);
    const own = m.author === ownAuthor;
    out.push({
      key: `s${m.seq}`,
      seq: m.seq,
      author: m.author,
      alias: m.alias,
      body: m.body,
      at: m.at,
      own,
      mark: own ? markFor(m.seq) : null,
      card: m.card ?? null,
    });
  }
  for (const p of pending) {
    if (held.has(p.client_id)) continue;
    out.push({
      key: `c${p.client_id}`,
      seq: p.seq,
      author: ownAuthor,
      alias: null,
      body: p.body,
      at: null,
      own: true,
      mark: markFor(p.seq),
    });
  }
  return out;
}
