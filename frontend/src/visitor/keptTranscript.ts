/** The last chat's messages, kept in memory only (never storage) so that the ended view can show them:
 * a reload or "leave quickly" forgets them. */

import type { ViewMessage } from "../shared/messages";

let kept: readonly ViewMessage[] = [];

export function keepTranscript(messages: readonly ViewMessage[]): void {
  kept = messages;
}

export function keptTranscript(): readonly ViewMessage[] {
  return kept;
}

export function forgetTranscript(): void {
  kept = [];
}
