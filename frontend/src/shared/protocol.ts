/** The pages' protocol types (docs/protocol.md; the server is the authority). The socket frames are generated from
 * the server's catalogue (app/realtime/events.py → src/api/frames.ts: `make frames`) and named here as the pages
 * know them; what follows them is the pages' own. */

import type * as Wire from "../api/frames";
import type { Schema } from "./api";

export type {
  AckFrame,
  ConsoleQueueFrame,
  ConsoleServerFrame,
  ConversationFrame,
  ErrorFrame,
  MailboxFrame,
  NoteFrame,
  PresenceFrame,
  PurgedFrame,
  ReadFrame,
  ServerFrame,
  ServiceFrame,
  StateFrame,
  TypingFrame,
  VisitorQueueFrame,
  VisitorServerFrame,
} from "../api/frames";

export type Author = Wire.Author;
export type ConvState = Wire.ConversationState;
export type Presence = Wire.Presence;
export type NoteKind = Wire.NoteKind;
export type AgeBand = NonNullable<Wire.ConversationSummary["age_band"]>;
export type Topic = NonNullable<Wire.ConversationSummary["topic"]>;
export type ResourceCardData = Wire.ResourceCard;
export type Alternative = Wire.Alternative;
export type QueueItem = Wire.QueueItem;
export type Note = Wire.NoteRecord;

export const AGE_BANDS: readonly AgeBand[] = ["under_15", "15_17", "18_24", "25_plus"];
export const TOPICS: readonly Topic[] = [
  "sex_for_compensation",
  "exploitation",
  "violence",
  "relationships",
  "health",
  "other",
];
export const PRESENCES: readonly Presence[] = ["available", "away", "offline"];
export const MAX_BODY = 4000;

/** A message in a conversation's log: as the server sends it, or an own message made from its ack (no card). */
export type MessageFrame = Omit<Wire.MessageFrame, "card"> & { card?: ResourceCardData | null };

/** A `send` frame; the visitor's has no conversation_id, the console's has one. */
export type SendFrame = Wire.Send | Wire.ConsoleSend;

/** What the socket client hands a page: every frame but those it handles itself (message, ack and pong). */
export type PageFrame<F extends Wire.ServerFrame> = Exclude<F, { type: "message" | "ack" | "pong" }>;
export type VisitorFrame = PageFrame<Wire.VisitorServerFrame>;
export type ConsoleFrame = PageFrame<Wire.ConsoleServerFrame>;

/** A conversation as the console keeps it: the server's summary, whose fields only some views read may be left
 * out where a page (or a test) makes one itself. */
export type Conversation = Omit<Wire.ConversationSummary, Later> & Partial<Pick<Wire.ConversationSummary, Later>>;
type Later = "queued_at" | "visitor_read_seq" | "urgent" | "accept_by" | "transfer_from_id";

/** Staff roles and what the visitor page calls the staff who answer (an admin setting): the server's (schema.ts). */
export type Role = Schema<"Role">;
export type StaffTitle = Schema<"VisitorStatusPublic">["staff_title"];
