/** Message box for both pages: Enter sends, Shift+Enter adds a line, counter near the limit. */

import type { ComponentChildren, JSX, RefObject } from "preact";
import { useRef } from "preact/hooks";
import { MAX_BODY } from "./protocol";

export interface ComposerLabels {
  label: string;
  hint: string;
  send: string;
  charsLeft: (count: number) => string;
}

interface Props {
  id: string;
  value: string;
  labels: ComposerLabels;
  disabled?: boolean;
  onInput: (value: string, caret: number) => void;
  onSend: (body: string) => void;
  onBlur?: () => void;
  /** Runs first on every key; true when it handled the key (then Enter does not send). */
  onKey?: (e: KeyboardEvent) => boolean;
  inputRef?: RefObject<HTMLTextAreaElement>;
  /** Extra attributes for the text box (e.g. ARIA for a suggestion list). */
  inputAttrs?: JSX.HTMLAttributes<HTMLTextAreaElement>;
  /** Shown right under the text box (e.g. suggestions). */
  below?: ComponentChildren;
}

const COUNTER_FROM = 500;

export function Composer(props: Props) {
  const { id, value, labels, disabled = false, onInput, onSend, onBlur, onKey } = props;
  const own = useRef<HTMLTextAreaElement>(null);
  const ref = props.inputRef ?? own;
  const left = MAX_BODY - value.length;
  const submit = () => {
    const body = value.trim();
    if (!body || body.length > MAX_BODY || disabled) return;
    onSend(body);
    ref.current?.focus();
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for={id} class="composer-label">
        {labels.label}
      </label>
      <textarea
        {...props.inputAttrs}
        ref={ref}
        id={id}
        data-testid="composer"
        rows={2}
        maxLength={MAX_BODY}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onInput={(e) => {
          const el = e.currentTarget as HTMLTextAreaElement;
          onInput(el.value, el.selectionStart ?? el.value.length);
        }}
        onBlur={onBlur}
        onKeyDown={(e) => {
          if (onKey?.(e)) return;
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      {props.below}
      <div class="composer-row">
        <span id={`${id}-hint`} class="composer-hint">
          {labels.hint}
        </span>
        {left <= COUNTER_FROM && (
          <span class={left < 50 ? "counter counter-low" : "counter"} aria-live="polite" data-testid="char-counter">
            {labels.charsLeft(left)}
          </span>
        )}
        <button type="submit" data-testid="send" disabled={disabled || !value.trim()}>
          {labels.send}
        </button>
      </div>
    </form>
  );
}
