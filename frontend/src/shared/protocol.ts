/** Frame and resource types of docs/protocol.md (the server is the authority). */

export type Author = "visitor" | "counselor" | "system";
export type ConvState = "waiting" | "active" | "closed" | "abandoned";
export type Presence = "available" | "away" | "offline";
export type AgeBand = "under_15" | "15_17" | "18_24" | "25_plus";
export type Topic =
  | "sex_for_compensation"
  | "exploitation"
  | "violence"
  | "relationships"
  | "health"
  | "other";

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

export interface MessageFrame {
  type: "message";
  conversation_id: string;
  seq: number;
  author: Author;
  alias: string | null;
  body: string;
  client_id: string | null;
  at: string;
  /** A resource the counselor sent as a card (the body reads the same as text). */
  card?: ResourceCardData | null;
}

export interface ResourceCardData {
  resource_id: number;
  name: string;
  offer: string;
  phone: string | null;
  url: string | null;
  hours: string;
}

/** A `send` frame; the visitor's has no conversation_id, the console's has one. */
export interface SendFrame {
  type: "send";
  client_id: string;
  body: string;
  conversation_id?: string;
}

export interface StateFrame {
  type: "state";
  conversation_id: string;
  state: ConvState;
  counselor_alias: string | null;
}
export interface VisitorQueueFrame {
  type: "queue";
  position: number;
  estimated_wait_s: number | null;
}
export interface TypingFrame {
  type: "typing";
  conversation_id: string;
  author: Author;
  on: boolean;
}
export interface ReadFrame {
  type: "read";
  conversation_id: string;
  author: Author;
  seq: number;
}
export interface ErrorFrame {
  type: "error";
  code: string;
  detail: string;
}

export type Role = "counselor" | "supervisor" | "admin";
export interface Counselor {
  id: number;
  username: string;
  display_name: string;
  alias: string;
  role: Role;
  presence: Presence;
  capacity: number;
}
export interface QueueItem {
  conversation_id: string;
  position: number;
  waiting_since: string;
  wait_s: number;
  language: string | null;
  age_band: AgeBand | null;
  topic: Topic | null;
  link_label: string | null;
  urgent: boolean;
  /** Back in the queue through no fault of the visitor (placed ahead of newcomers). */
  returning?: boolean;
}
export interface Conversation {
  conversation_id: string;
  state: ConvState;
  counselor_id: number | null;
  counselor_alias: string | null;
  language: string | null;
  age_band: AgeBand | null;
  topic: Topic | null;
  link_label: string | null;
  created_at: string;
  claimed_at: string | null;
  closed_at: string | null;
  last_seq: number;
  /** An auto-assignment or transfer waiting to be accepted by this time (ISO), else null. */
  accept_by?: string | null;
  transfer_from_id?: number | null;
  urgent?: boolean;
}
export interface ConsoleQueueFrame {
  type: "queue";
  items: QueueItem[];
}
export interface ConversationFrame {
  type: "conversation";
  conversation: Conversation;
  /** A supervisor's read-only follow (the reply to a `monitor` frame). */
  monitoring?: boolean;
}
export interface PresenceFrame {
  type: "presence";
  status: Presence;
}

/** The schedule opened or closed the service (sent to visitors while they wait or chat). */
export interface ServiceFrame {
  type: "service";
  open: boolean;
  next_opening: string | null;
  alternatives?: Alternative[];
}

/** Frames a page handles itself (the socket client consumes message, ack and pong). */
export type VisitorFrame = StateFrame | VisitorQueueFrame | TypingFrame | ReadFrame | ErrorFrame | ServiceFrame;
export type ConsoleFrame =
  | ConsoleQueueFrame
  | ConversationFrame
  | PresenceFrame
  | StateFrame
  | TypingFrame
  | ReadFrame
  | ErrorFrame
  | NoteFrame
  | PurgedFrame;

/** The conversation's text was deleted (purge now): drop its transcript. */
export interface PurgedFrame {
  type: "purged";
  conversation_id: string;
}

export type NoteKind = "note" | "whisper" | "transfer";
export interface Note {
  id: number;
  conversation_id: string;
  kind: NoteKind;
  body: string;
  author_alias: string | null;
  author_id: number | null;
  created_at: string;
}
export interface NoteFrame {
  type: "note";
  conversation_id: string;
  note: Note;
}

export interface Alternative {
  name: Record<string, string>;
  phone: string;
}
export interface VisitorStatus {
  open: boolean;
  queue_length: number;
  estimated_wait_s: number | null;
  next_opening: string | null;
  languages: string[];
  exit_url?: string;
  alternatives?: Alternative[];
  /** What the staff who answer are called (an admin setting). */
  staff_title?: StaffTitle;
}
export type StaffTitle = "socialsekreterare" | "kurator" | "socialarbetare";
export interface StartedConversation {
  conversation_id: string;
  token: string;
  follow_up_code: string;
}
