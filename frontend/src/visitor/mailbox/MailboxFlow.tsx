/** The visitor's mailbox views in turn: write → code shown → (later, with the code) the thread. */

import type { LetterSent, MailboxThread } from "./api";
import "./mailbox.css";
import { SentView } from "./SentView";
import { ThreadView } from "./ThreadView";
import { WriteView } from "./WriteView";
import type { StartedConversation } from "../../shared/api";

export type MailboxMode =
  | { kind: "write" }
  | { kind: "sent"; sent: LetterSent }
  | { kind: "thread"; code: string; thread: MailboxThread };

interface Props {
  mode: MailboxMode;
  linkCode: string;
  onMode: (mode: MailboxMode | null) => void;
  /** The thread became a live chat: open it as a new start. */
  onChat: (started: StartedConversation) => void;
}

export function MailboxFlow({ mode, linkCode, onMode, onChat }: Props) {
  const done = () => onMode(null);
  if (mode.kind === "write") return <WriteView linkCode={linkCode} onSent={(sent) => onMode({ kind: "sent", sent })} onBack={done} />;
  if (mode.kind === "sent") return <SentView sent={mode.sent} onDone={done} />;
  return (
    <ThreadView
      code={mode.code}
      thread={mode.thread}
      onThread={(thread) => onMode({ ...mode, thread })}
      onChat={onChat}
      onLeave={done}
    />
  );
}
