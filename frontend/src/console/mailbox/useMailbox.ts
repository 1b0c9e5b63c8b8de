/** The mailbox as the whole console sees it: the waiting count (for the nav badge), kept fresh by the
 * socket's `mailbox` frames, and a tone for a letter that comes in opening hours while on duty. */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { MailboxFrame } from "../../shared/protocol";
import type { ConsoleApi } from "../api";
import type { ConsoleModel } from "../model";
import { MailboxApi, type ThreadSummary } from "./api";

export function isMailboxFrame(frame: { type: string }): frame is MailboxFrame {
  return frame.type === "mailbox";
}

/** Calls the latest `onFrame` for every mailbox frame while mounted. */
export function useMailboxFrames(model: ConsoleModel | null, onFrame: (frame: MailboxFrame) => void): void {
  const latest = useRef(onFrame);
  latest.current = onFrame;
  useEffect(() => {
    if (!model) return;
    return model.client.subscribe((ev) => {
      if (ev.type === "frame" && isMailboxFrame(ev.frame)) latest.current(ev.frame);
    });
  }, [model]);
}

/** The letters waiting for an answer (claimed ones not counted), refreshed on every mailbox frame. */
export function useWaitingLetters(api: ConsoleApi, model: ConsoleModel | null, onLetter: () => void): number {
  const mailbox = useMemo(() => new MailboxApi(api), [api]);
  const [items, setItems] = useState<ThreadSummary[]>([]);
  const refresh = () => void mailbox.list().then(setItems, () => undefined);
  useEffect(refresh, [model]);
  useMailboxFrames(model, (frame) => {
    refresh();
    if (frame.change === "letter" && frame.notify && model?.presence === "available") onLetter();
  });
  return items.filter((i) => i.state === "waiting").length;
}
