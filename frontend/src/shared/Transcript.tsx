/** A scrolling transcript for both pages: follows new messages while the reader is at the bottom,
 * offers "New messages ↓" when they are not, and is a focusable log region around a plain list
 * (role="log" on the list itself would orphan its items). */

import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/** Within this many pixels of the end counts as "at the bottom". */
const SLACK_PX = 32;

interface Props {
  /** Key of the newest message: a change means something was added. */
  lastKey: string | undefined;
  /** The newest message is the reader's own (sending always shows it). */
  lastIsOwn: boolean;
  label: string;
  newMessagesLabel: string;
  class: string;
  listClass: string;
  children: ComponentChildren;
}

export function Transcript(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(false);
  // Measured while rendering, before the new message reaches the DOM (a scroll event may not have
  // fired yet since the reader last moved).
  if (box.current) atBottom.current = isAtBottom(box.current);

  const toBottom = () => {
    const el = box.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(false);
  };

  useLayoutEffect(() => {
    if (props.lastKey === undefined) return;
    if (atBottom.current || props.lastIsOwn) toBottom();
    else setUnseen(true);
  }, [props.lastKey]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = isAtBottom(el);
    if (atBottom.current) setUnseen(false);
  };

  return (
    <div class="transcript-wrap">
      <div
        ref={box}
        class={props.class}
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={props.label}
        tabIndex={0}
        data-testid="transcript"
        onScroll={onScroll}
      >
        <ol class={props.listClass}>{props.children}</ol>
      </div>
      {unseen && (
        <button type="button" class="new-messages" data-testid="new-messages" onClick={toBottom}>
          {props.newMessagesLabel}
        </button>
      )}
    </div>
  );
}

function isAtBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX;
}
