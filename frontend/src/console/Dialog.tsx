/** A modal dialog on the native <dialog> element: focus stays inside, Esc cancels, focus returns. */

import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

interface Props {
  title: string;
  testid: string;
  onClose: () => void;
  children: ComponentChildren;
}

let counter = 0;

export function Dialog({ title, testid, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useRef(`dialog-${++counter}`).current;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const el = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (el && !el.open) {
      if (typeof el.showModal === "function") el.showModal();
      else el.setAttribute("open", "");
    }
    const cancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    el?.addEventListener("cancel", cancel);
    return () => {
      el?.removeEventListener("cancel", cancel);
      if (el?.open) el.close();
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class="dialog" data-testid={testid} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </dialog>
  );
}
