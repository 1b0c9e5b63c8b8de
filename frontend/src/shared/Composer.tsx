/** Message box for both pages: Enter sends, Shift+Enter adds a line, counter near the limit. */

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
  onInput: (value: string) => void;
  onSend: (body: string) => void;
  onBlur?: () => void;
}

const COUNTER_FROM = 500;

export function Composer({ id, value, labels, disabled = false, onInput, onSend, onBlur }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
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
        ref={ref}
        id={id}
        data-testid="composer"
        rows={2}
        maxLength={MAX_BODY}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
        onBlur={onBlur}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
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
