/** Keyboard shortcuts for the chat view (next/previous chat, write, take the next in the queue) and the
 * dialog that lists them ("?" or the header button). Alt+arrows and Alt+letters by key position (e.code),
 * so they work on any keyboard layout and never while a dialog is open. */

import { useEffect, useState } from "preact/hooks";
import { Dialog } from "./Dialog";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";

export type ShortcutAction = "next" | "previous" | "write" | "claimNext" | "help";

/** Which action a key press asks for, or null. "?" only outside text fields (there it is a character). */
export function shortcutFor(e: KeyboardEvent): ShortcutAction | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    if (e.code === "ArrowDown") return "next";
    if (e.code === "ArrowUp") return "previous";
    if (e.code === "KeyW") return "write";
    if (e.code === "KeyN") return "claimNext";
  }
  const target = e.target as HTMLElement | null;
  const typing = !!target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  if (e.key === "?" && !typing && !e.altKey && !e.ctrlKey && !e.metaKey) return "help";
  return null;
}

function focusComposer(id: string | null): void {
  if (id) requestAnimationFrame(() => document.getElementById(`composer-${id}`)?.focus());
}

/** Runs the shortcuts while the chat view is shown; returns whether the help dialog is open and its setter. */
export function useShortcuts(model: ConsoleModel | null, active: boolean): [boolean, (open: boolean) => void] {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    if (!model || !active) return;
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector("dialog[open]")) return;
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      const tabs = model.tabs().map((entry) => entry.conv.conversation_id);
      const at = model.focused ? tabs.indexOf(model.focused) : -1;
      if ((action === "next" || action === "previous") && tabs.length > 0) {
        const step = action === "next" ? 1 : -1;
        const id = tabs[(at + step + tabs.length) % tabs.length] ?? null;
        model.focus(id);
        focusComposer(id);
      } else if (action === "write") {
        focusComposer(model.focused);
      } else if (action === "claimNext") {
        const first = model.queue[0];
        if (first) void model.claim(first.conversation_id).then(() => focusComposer(first.conversation_id), () => {});
      } else if (action === "help") {
        setHelp(true);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [model, active]);
  return [help, setHelp];
}

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const s = t.shortcuts;
  const rows: [string, string][] = [
    ["Alt + ↓", s.next],
    ["Alt + ↑", s.previous],
    ["Alt + W", s.write],
    ["Alt + N", s.claimNext],
    ["?", s.help],
  ];
  return (
    <Dialog title={s.heading} testid="shortcuts-dialog" onClose={onClose}>
      <table class="shortcuts">
        <caption class="visually-hidden">{s.heading}</caption>
        <thead>
          <tr>
            <th scope="col">{s.keys}</th>
            <th scope="col">{s.does}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([keys, does]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="primary" data-testid="shortcuts-close" onClick={onClose}>
        {s.close}
      </button>
    </Dialog>
  );
}
