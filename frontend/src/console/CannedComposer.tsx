/** The counselor's composer: `/keyword` shows matching canned replies; Tab or Enter inserts one. */

import { useEffect, useRef, useState } from "preact/hooks";
import { Composer } from "../shared/Composer";
import { expandCanned, matchCanned, slashToken, type SlashToken } from "./canned";
import { useI18n } from "./i18n";
import type { ConsoleModel } from "./model";
import type { CannedReply } from "./types";

const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { at: number; items: Promise<CannedReply[]> }>();

/** After the counselor changed their own replies: the composer fetches them again. */
export function forgetCannedCache(): void {
  cache.clear();
}

/** The canned replies (shared and mine) for a conversation's language, fetched once in a while. */
export function useCannedReplies(model: ConsoleModel, language: string): readonly CannedReply[] {
  const [items, setItems] = useState<readonly CannedReply[]>([]);
  useEffect(() => {
    const key = `${model.me.id}:${language}`;
    let hit = cache.get(key);
    if (!hit || Date.now() - hit.at > CACHE_MS) {
      hit = { at: Date.now(), items: model.api.canned(language) };
      cache.set(key, hit);
      hit.items.catch(() => cache.delete(key));
    }
    let live = true;
    hit.items.then(
      (list) => live && setItems(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [language]);
  return items;
}

interface Props {
  id: string;
  value: string;
  disabled: boolean;
  replies: readonly CannedReply[];
  onInput: (value: string) => void;
  onSend: (body: string) => void;
  onBlur: () => void;
}

export function CannedComposer({ id, value, disabled, replies, onInput, onSend, onBlur }: Props) {
  const { t } = useI18n();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [token, setToken] = useState<SlashToken | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const caretAfter = useRef<number | null>(null);

  // The value can change from outside (sent, cleared): a stale token no longer points at a slash.
  const live = token && !dismissed && value.charAt(token.start) === "/" && value.length >= token.end;
  const matches = live ? matchCanned(replies, token.query) : [];
  const open = matches.length > 0;
  const listId = `${id}-canned`;
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    const el = inputRef.current;
    if (el && caretAfter.current !== null) {
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [value]);

  const track = (text: string, caret: number) => {
    const next = slashToken(text, caret);
    if (next?.start !== token?.start || next?.query !== token?.query) {
      setActive(0);
      setDismissed(false);
    }
    setToken(next);
  };

  const insert = (reply: CannedReply) => {
    if (!token) return;
    const out = expandCanned(value, token, reply.body);
    caretAfter.current = out.caret;
    setToken(null);
    onInput(out.text);
    inputRef.current?.focus();
  };

  const onKey = (e: KeyboardEvent): boolean => {
    if (!open || e.isComposing) return false;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + matches.length) % matches.length);
      return true;
    }
    if ((e.key === "Enter" && !e.shiftKey) || (e.key === "Tab" && !e.shiftKey)) {
      e.preventDefault();
      const pick = matches[Math.min(active, matches.length - 1)];
      if (pick) insert(pick);
      return true;
    }
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      setDismissed(true);
      return true;
    }
    return false;
  };

  return (
    <Composer
      id={id}
      value={value}
      disabled={disabled}
      inputRef={inputRef}
      labels={{ label: t.composerLabel, hint: t.composerHint, send: t.send, charsLeft: t.charsLeft }}
      onInput={(v, caret) => {
        track(v, caret);
        onInput(v);
      }}
      onBlur={() => {
        setDismissed(true);
        onBlur();
      }}
      onKey={onKey}
      inputAttrs={{
        role: "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": open,
        "aria-controls": listId,
        "aria-activedescendant": open ? optionId(active) : undefined,
      }}
      onSend={onSend}
      below={
        <ul id={listId} class="canned" role="listbox" aria-label={t.cannedLabel} hidden={!open} data-testid="canned-list">
          {matches.map((r, i) => (
            <li
              key={r.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              class={i === active ? "canned-option current" : "canned-option"}
              data-testid="canned-suggestion"
              data-keyword={r.keyword}
              onMouseDown={(e) => {
                e.preventDefault(); // keep focus in the text box
                insert(r);
              }}
            >
              <span class="canned-key">/{r.keyword}</span>
              <span class="canned-body">{r.body}</span>
            </li>
          ))}
        </ul>
      }
    />
  );
}
